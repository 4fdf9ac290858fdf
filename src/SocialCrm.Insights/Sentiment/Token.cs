namespace SocialCrm.Insights;

/// <summary>What a token is: a word (rules apply to it) or a symbol (an emoji or emoticon, read as it is).</summary>
internal enum TokenKind : byte
{
    Word,
    Symbol,
}

/// <summary>The part a word plays for its neighbours.</summary>
internal enum TokenRole : byte
{
    Plain,
    Negator,
    Modifier,
    Contrast,
    /// <summary>Opens a clause that concedes a point ("although", "though"); at a sentence's end, "though" contrasts it with the one before.</summary>
    Concession,
    /// <summary>Inside a phrase whose value sits on another token.</summary>
    Consumed,
}

[Flags]
internal enum TokenFlags : byte
{
    None = 0,
    AllCaps = 1,
    /// <summary>Punctuation (or an emoji) follows: negation and modifiers do not reach across it.</summary>
    ClauseEnd = 2,
    /// <summary>A full stop, exclamation or question mark, or a line break, follows.</summary>
    SentenceEnd = 4,
    /// <summary>Laughter ("lol", "haha", 😂): its valence depends on what the rest of the message says.</summary>
    Laughter = 8,
}

/// <summary>One token of a message: where it is in the text and what the rules have found about it.</summary>
internal struct Token
{
    public int Start;
    public int Length;
    public TokenKind Kind;
    public TokenFlags Flags;
    public TokenRole Role;
    /// <summary>The token's own valence (-4..4 scale), 0 when it carries none.</summary>
    public double Valence;
    /// <summary>For a modifier: what it adds to the next sentiment word's magnitude (negative: dampens).</summary>
    public double Scalar;

    public readonly bool Has(TokenFlags flag) => (Flags & flag) != 0;

    public readonly ReadOnlySpan<char> In(ReadOnlySpan<char> text) => text.Slice(Start, Length);
}
