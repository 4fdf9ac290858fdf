namespace SocialCrm.Insights.Tests.Terms;

/// <summary>
/// A stand-in for the sentiment analyzer: +0.6 when a clause has more of a few praise words than
/// complaint words, −0.6 for the reverse, 0 otherwise. It records the clauses it was asked about.
/// </summary>
internal sealed class StandInSentiment
{
    private static readonly HashSet<string> Praise =
        new(["love", "loved", "great", "amazing", "awesome", "perfect", "good", "best", "excellent", "😍"], StringComparer.Ordinal);

    private static readonly HashSet<string> Complaint =
        new(["awful", "terrible", "hate", "bad", "worst", "broken", "trash", "useless", "disappointed", "😡"], StringComparer.Ordinal);

    public List<string> Clauses { get; } = [];

    public double Score(string clause)
    {
        Clauses.Add(clause);
        var balance = 0;
        foreach (var word in clause.ToLowerInvariant().Split([' ', ',', '.', '!', '?', ';', ':', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (Praise.Contains(word)) balance++;
            if (Complaint.Contains(word)) balance--;
        }
        return Math.Sign(balance) * 0.6;
    }
}
