namespace SocialCrm.Insights.Tests;

/// <summary>The analyzer's contract: scores, labels, odd input, and a brand's own terms.</summary>
public sealed class SentimentAnalyzerTests
{
    private static readonly SentimentAnalyzer Analyzer = SentimentAnalyzer.Default;

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\n\t")]
    public void Empty_text_is_neutral_with_score_zero(string text) =>
        Assert.Equal(new Sentiment(0, SentimentLabel.Neutral), Analyzer.Analyze(text));

    [Fact]
    public void Text_without_sentiment_words_is_neutral() =>
        Assert.Equal(new Sentiment(0, SentimentLabel.Neutral), Analyzer.Analyze("My order is 48213, sent on Tuesday"));

    [Fact]
    public void Punctuation_alone_is_neutral() => Assert.Equal(SentimentLabel.Neutral, Analyzer.Analyze("?!... ,,").Label);

    [Theory]
    [InlineData(0.05, SentimentLabel.Positive)]
    [InlineData(0.0499, SentimentLabel.Neutral)]
    [InlineData(0, SentimentLabel.Neutral)]
    [InlineData(-0.0499, SentimentLabel.Neutral)]
    [InlineData(-0.05, SentimentLabel.Negative)]
    [InlineData(0.9, SentimentLabel.Positive)]
    [InlineData(-0.9, SentimentLabel.Negative)]
    public void Labels_follow_the_thresholds(double score, SentimentLabel label) =>
        Assert.Equal(label, Sentiment.FromScore(score).Label);

    [Fact]
    public void Scores_are_rounded_to_four_decimals_and_clamped()
    {
        Assert.Equal(0.1235, Sentiment.FromScore(0.123456).Score);
        Assert.Equal(1, Sentiment.FromScore(3).Score);
        Assert.Equal(-1, Sentiment.FromScore(-3).Score);
    }

    [Theory]
    [InlineData("Best airline ever, the crew were amazing and so kind to my kids 😍")]
    [InlineData("Worst service ever. Lost my bag, rude staff, no refund!!! 😡")]
    [InlineData("When does the summer sale start?")]
    public void Labels_agree_with_the_score(string text)
    {
        var sentiment = Analyzer.Analyze(text);
        Assert.Equal(sentiment, Sentiment.FromScore(sentiment.Score));
        Assert.InRange(sentiment.Score, -1, 1);
        Assert.Equal(Math.Round(sentiment.Score, 4), sentiment.Score);
    }

    [Fact]
    public void Clear_messages_get_the_expected_labels()
    {
        Assert.Equal(SentimentLabel.Positive, Analyzer.Analyze("Love these shoes, super comfy!").Label);
        Assert.Equal(SentimentLabel.Negative, Analyzer.Analyze("Worst customer service ever.").Label);
        Assert.Equal(SentimentLabel.Neutral, Analyzer.Analyze("Do you ship to Canada?").Label);
    }

    [Fact]
    public void A_very_long_text_is_read_without_failing()
    {
        var text = string.Concat(Enumerable.Repeat("The delivery was great but the box was not good 😡 :) ", 200))[..10_000];
        var sentiment = Analyzer.Analyze(text);
        Assert.InRange(sentiment.Score, -1, 1);
        Assert.Equal(10_000, text.Length);
    }

    [Fact]
    public void A_very_long_word_or_run_of_emoji_is_read_without_failing()
    {
        Assert.InRange(Analyzer.Analyze(new string('o', 10_000)).Score, -1, 1);
        Assert.True(Analyzer.Analyze(string.Concat(Enumerable.Repeat("😍", 5_000))).Score > 0.9);
        Assert.InRange(Analyzer.Analyze("g" + new string('o', 100) + "d").Score, -1, 1);
    }

    [Fact]
    public void The_analyzer_gives_the_same_answer_on_many_threads()
    {
        const string text = "Not bad at all, the new app is GREAT!! 👍";
        var expected = Analyzer.Analyze(text);
        var answers = new Sentiment[64];
        Parallel.For(0, answers.Length, i => answers[i] = Analyzer.Analyze(text));
        Assert.All(answers, a => Assert.Equal(expected, a));
    }

    [Fact]
    public void A_brand_term_takes_precedence_over_the_built_in_valence()
    {
        Assert.True(BrandLexicon.TryCreate(new Dictionary<string, double> { ["sick"] = 3 }, out var sneakers, out _));

        Assert.Equal(SentimentLabel.Positive, Analyzer.Analyze("sick shoes", sneakers).Label);
        Assert.NotEqual(SentimentLabel.Positive, Analyzer.Analyze("sick shoes").Label);
        Assert.NotEqual(SentimentLabel.Positive, Analyzer.Analyze("sick shoes", BrandLexicon.Empty).Label);
    }

    [Fact]
    public void Brand_terms_are_still_negated_and_intensified()
    {
        Assert.True(BrandLexicon.TryCreate(new Dictionary<string, double> { ["sick"] = 3 }, out var sneakers, out _));

        Assert.True(Analyzer.Analyze("these are not sick", sneakers).Score < 0);
        Assert.True(Analyzer.Analyze("these are very sick", sneakers).Score > Analyzer.Analyze("these are sick", sneakers).Score);
    }

    [Fact]
    public void A_multi_word_brand_term_matches_as_a_phrase()
    {
        Assert.True(BrandLexicon.TryCreate(new Dictionary<string, double> { ["slaps hard"] = 3, ["Launch  Day"] = 1.5 }, out var brand, out _));

        Assert.True(Analyzer.Analyze("this colourway SLAPS HARD", brand).Score > Analyzer.Analyze("this colourway slaps", brand).Score);
        Assert.True(Analyzer.Analyze("It's launch day", brand).Score > 0);
        Assert.Equal(0, Analyzer.Analyze("It's launch day").Score);
    }
}
