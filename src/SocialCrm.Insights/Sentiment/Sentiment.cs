namespace SocialCrm.Insights;

/// <summary>The polarity of a message: the sign of its score once the neutral band is taken out.</summary>
public enum SentimentLabel
{
    Negative = -1,
    Neutral = 0,
    Positive = 1,
}

/// <summary>A message's sentiment: a score in [-1, 1] (4 decimals) and the label it falls under.</summary>
public readonly record struct Sentiment(double Score, SentimentLabel Label)
{
    /// <summary>Scores at or above this are positive; at or below its negation, negative.</summary>
    public const double Threshold = 0.05;

    public static Sentiment Neutral { get; } = new(0, SentimentLabel.Neutral);

    /// <summary>Rounds a score to 4 decimals, clamps it to [-1, 1] and labels it by <see cref="Threshold"/>.</summary>
    public static Sentiment FromScore(double score)
    {
        var rounded = Math.Round(Math.Clamp(score, -1, 1), 4, MidpointRounding.AwayFromZero);
        var label = rounded >= Threshold ? SentimentLabel.Positive
            : rounded <= -Threshold ? SentimentLabel.Negative
            : SentimentLabel.Neutral;
        return new Sentiment(rounded, label);
    }
}
