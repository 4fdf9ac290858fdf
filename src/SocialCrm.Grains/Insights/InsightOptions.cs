using SocialCrm.Abstractions.Insights;

namespace SocialCrm.Grains.Insights;

/// <summary>Configuration section <c>Insights</c>.</summary>
public sealed class InsightOptions
{
    public const string Section = "Insights";

    /// <summary>Off: messages are stored without sentiment, and no aggregate or alert is kept.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often each node adds its tally to the aggregates and reports to the spike detectors.</summary>
    public int FlushMilliseconds { get; set; } = 1000;

    /// <summary>How long a node uses a brand's lexicon before asking again (another node's change shows after this).</summary>
    public int LexiconCacheSeconds { get; set; } = 30;

    /// <summary>Terms a node holds between two flushes; beyond it, new terms wait for the next second.</summary>
    public int MaxPendingTerms { get; set; } = 50_000;

    /// <summary>The spike rule's defaults, for brands that did not set their own.</summary>
    public AlertSettings Alerts { get; set; } = new();
}
