namespace SocialCrm.Insights;

/// <summary>Which code points are emoji, and which only join or modify the emoji before them.</summary>
internal static class Emoji
{
    public static bool IsEmoji(int codePoint) => codePoint switch
    {
        >= 0x1F3FB and <= 0x1F3FF => false,   // skin tones: modifiers, see IsJoiner
        >= 0x1F000 and <= 0x1FAFF => true,    // pictographs, emoticons, transport, symbols, flags
        >= 0x2600 and <= 0x27BF => true,      // miscellaneous symbols and dingbats: ☀ ☹ ✌ ✨ ❤
        >= 0x2B00 and <= 0x2BFF => true,      // ⭐ ⬆ ⭕
        >= 0x2300 and <= 0x23FF => true,      // ⌚ ⏰ ⏳
        0x3030 or 0x303D or 0x3297 or 0x3299 => true,
        _ => false,
    };

    /// <summary>Variation selectors, zero-width joiner, keycap, skin tones and tags: read as nothing.</summary>
    public static bool IsJoiner(int codePoint) => codePoint switch
    {
        0xFE0E or 0xFE0F or 0x200D or 0x20E3 => true,
        >= 0x1F3FB and <= 0x1F3FF => true,
        >= 0xE0020 and <= 0xE007F => true,
        _ => false,
    };
}
