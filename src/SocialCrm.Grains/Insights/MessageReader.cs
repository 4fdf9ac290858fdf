using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SocialCrm.Abstractions.Insights;
using SocialCrm.Abstractions.Security;
using SocialCrm.Insights;
using SocialCrm.Insights.Terms;

namespace SocialCrm.Grains.Insights;

/// <summary>A customer message as the insights read it: its sentiment and the terms it praises, criticises or uses.</summary>
public sealed record MessageReading(double Score, SentimentLabel Label, TermFindings Terms);

/// <summary>
/// Reads customer messages in-process with the brand's own lexicon. The lexicon comes from the brand's
/// insights grain at most once per <see cref="InsightOptions.LexiconCacheSeconds"/> per node, so a
/// message never costs a grain call of its own.
/// </summary>
public sealed class MessageReader(IGrainFactory grains, TimeProvider clock, IOptions<InsightOptions> options)
{
    private readonly ConcurrentDictionary<string, (BrandLexicon Lexicon, long ExpiresAtMs)> _lexicons = new(StringComparer.Ordinal);

    public bool Enabled => options.Value.Enabled;

    /// <summary>The reading of a text, or nothing when insights are off or there is no text.</summary>
    public async ValueTask<MessageReading?> ReadAsync(string brandId, string? text)
    {
        if (!Enabled || string.IsNullOrWhiteSpace(text)) return null;
        var lexicon = await LexiconAsync(brandId);
        var sentiment = SentimentAnalyzer.Default.Analyze(text, lexicon);
        var terms = TermFinder.Find(text, clause => SentimentAnalyzer.Default.Analyze(clause, lexicon).Score);
        return new MessageReading(sentiment.Score, sentiment.Label, terms);
    }

    /// <summary>Forgets a brand's lexicon on this node (its owner changed it here).</summary>
    public void Forget(string brandId) => _lexicons.TryRemove(brandId, out _);

    private async ValueTask<BrandLexicon?> LexiconAsync(string brandId)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (_lexicons.TryGetValue(brandId, out var cached) && cached.ExpiresAtMs > now)
            return ReferenceEquals(cached.Lexicon, BrandLexicon.Empty) ? null : cached.Lexicon;
        BrandContext.Set(brandId);
        var terms = await grains.GetGrain<IBrandInsightsGrain>(brandId).Lexicon();
        var lexicon = terms.Count > 0 && BrandLexicon.TryCreate(terms, out var created, out _) && created is not null ? created : BrandLexicon.Empty;
        _lexicons[brandId] = (lexicon, now + options.Value.LexiconCacheSeconds * 1000L);
        return ReferenceEquals(lexicon, BrandLexicon.Empty) ? null : lexicon;
    }
}
