namespace SocialCrm.Insights.Terms;

/// <summary>
/// What one message says about the product: the terms it praises, the terms it complains about and
/// the other things customers use the product for. Each list holds a term at most once.
/// </summary>
public sealed record TermFindings(IReadOnlyList<string> Advantages, IReadOnlyList<string> Disadvantages, IReadOnlyList<string> UnusualUses)
{
    /// <summary>Nothing found: the answer for empty, neutral or unreadable text.</summary>
    public static TermFindings None { get; } = new([], [], []);
}
