using System.Buffers;

namespace SocialCrm.Insights;

/// <summary>
/// Reads the sentiment of a short English message, in process: a valence lexicon and rules for
/// negation, modifiers, contrast, capitals, punctuation, emoji, slang and idioms, after VADER
/// (Hutto &amp; Gilbert, 2014). Immutable and thread-safe; <see cref="Default"/> loads the lexicon once.
/// </summary>
public sealed class SentimentAnalyzer
{
    /// <summary>Messages up to this many characters read their tokens into stack memory.</summary>
    private const int StackTokens = 256;

    private static readonly Lazy<SentimentAnalyzer> Shared = new(() => new SentimentAnalyzer(ValenceLexicon.LoadBuiltIn()));

    private readonly ValenceLexicon _lexicon;

    private SentimentAnalyzer(ValenceLexicon lexicon) => _lexicon = lexicon;

    /// <summary>The analyzer with the built-in lexicon.</summary>
    public static SentimentAnalyzer Default => Shared.Value;

    /// <summary>
    /// The sentiment of <paramref name="text"/>: positive at a score of 0.05 or more, negative at
    /// -0.05 or less, neutral between. Empty or blank text is neutral. A brand's terms take
    /// precedence over the built-in lexicon.
    /// </summary>
    public Sentiment Analyze(string text, BrandLexicon? brandTerms = null)
    {
        if (string.IsNullOrWhiteSpace(text))
            return Sentiment.Neutral;

        char[]? rentedText = null;
        Token[]? rentedTokens = null;
        try
        {
            ReadOnlySpan<char> source = text;
            // Typographic apostrophes ("don’t") are read as plain ones, so one lexicon entry serves both.
            if (source.IndexOfAny('\u2019', '\u2018') >= 0)
            {
                rentedText = ArrayPool<char>.Shared.Rent(source.Length);
                var copy = rentedText.AsSpan(0, source.Length);
                source.CopyTo(copy);
                copy.Replace('\u2019', '\'');
                copy.Replace('\u2018', '\'');
                source = copy;
            }

            // A token takes at least one character, so the text's length bounds their number.
            var tokens = source.Length < StackTokens
                ? stackalloc Token[source.Length + 1]
                : (rentedTokens = ArrayPool<Token>.Shared.Rent(source.Length + 1));
            var count = Tokenizer.Read(source, tokens, _lexicon);
            if (count == 0)
                return Sentiment.Neutral;
            tokens = tokens[..count];
            TokenReading.Assign(source, tokens, _lexicon, brandTerms ?? BrandLexicon.Empty);
            return Sentiment.FromScore(Scoring.Score(source, tokens));
        }
        finally
        {
            if (rentedText is not null)
                ArrayPool<char>.Shared.Return(rentedText);
            if (rentedTokens is not null)
                ArrayPool<Token>.Shared.Return(rentedTokens);
        }
    }
}
