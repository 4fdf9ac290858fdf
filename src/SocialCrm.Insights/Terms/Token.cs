namespace SocialCrm.Insights.Terms;

internal enum TokenShape : byte
{
    Word,
    Number,
    /// <summary>Letters of another script: read past, never a term.</summary>
    Foreign,
}

/// <summary>What a word is in its sentence, decided by <see cref="WordRoles"/>.</summary>
internal enum Role : byte
{
    Other,
    Stop,
    Modifier,
    Verb,
    /// <summary>May end a term but not be one ("time" in "delivery time").</summary>
    Generic,
    Candidate,
}

/// <summary>One word, number or hashtag part of a message; its lower-case form sits in the reader's buffer.</summary>
internal struct Token
{
    public int Start;
    public int End;
    public int NormStart;
    public int NormLength;
    public Entry Entry;
    public TokenShape Shape;
    public Role Role;
    /// <summary>Only white space lies between this token and the previous one of the same segment.</summary>
    public bool Joins;
    /// <summary>Part of an unusual use, so not also an advantage or disadvantage.</summary>
    public bool Consumed;
    public int Clause;
    public int Segment;
}

/// <summary>
/// A stretch of a clause between commas, scored on its own. Start and End delimit its text in the
/// message (from its first visible character to its closing punctuation or emoji).
/// </summary>
internal readonly record struct Segment(int Start, int End, int FirstToken, int TokenEnd, int Clause);
