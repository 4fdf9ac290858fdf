using System.Globalization;

namespace SocialCrm.Abstractions;

/// <summary>
/// What free text may hold, the same on every database: never NUL (PostgreSQL refuses it in text
/// while SQLite keeps it); and a value that becomes a name, an actor, an audit entry, a log value or
/// a header is one plain line.
/// </summary>
public static class TextRules
{
    public const string NulRefusal = "must not contain the NUL character (U+0000).";

    public const string SingleLineRefusal = "must be one line without control, format or direction characters.";

    public static bool HasNul(string? value) => value is not null && value.Contains('\0');

    /// <summary>
    /// No control characters (CR, LF, TAB, DEL, C1), no line or paragraph separators, no unpaired
    /// surrogates, and no format characters (bidi overrides and isolates, zero-width spaces, BOM)
    /// except the zero-width joiner and non-joiner that scripts and emoji need.
    /// </summary>
    public static bool IsSingleLine(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c < 0x7F && c >= 0x20) continue;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                if (CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, value[++i])) == UnicodeCategory.Format) return false;
                continue;
            }
            switch (CharUnicodeInfo.GetUnicodeCategory(c))
            {
                case UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate:
                    return false;
                case UnicodeCategory.Format when c is not ('\u200C' or '\u200D'):
                    return false;
            }
        }
        return true;
    }
}
