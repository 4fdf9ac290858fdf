using SocialCrm.Abstractions.Insights;
using SocialCrm.Insights;

namespace SocialCrm.Grains.Insights;

/// <summary>The one mapping from a stored score to what readers see.</summary>
public static class Sentiments
{
    public static string LabelOf(SentimentLabel label) => label switch
    {
        SentimentLabel.Positive => "positive",
        SentimentLabel.Negative => "negative",
        _ => "neutral",
    };

    public static SentimentView? View(double? score) =>
        score is { } s ? new SentimentView(s, LabelOf(Sentiment.FromScore(s).Label)) : null;

    /// <summary>The labels the inbox filter takes.</summary>
    public static readonly string[] Labels = ["positive", "neutral", "negative"];
}
