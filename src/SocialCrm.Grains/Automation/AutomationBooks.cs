using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using SocialCrm.Abstractions.Automation;
using SocialCrm.Abstractions.Security;

namespace SocialCrm.Grains.Automation;

/// <summary>A brand's rules as one node uses them: compiled once, enabled ones only, by trigger, in order.</summary>
public sealed class BrandAutomation
{
    public static readonly BrandAutomation Empty = new(new AutomationBook(0, [], AutomationSettings.Default));

    private readonly Dictionary<string, List<CompiledRule>> _byTrigger = new(StringComparer.Ordinal);

    public BrandAutomation(AutomationBook book)
    {
        Book = book;
        foreach (var rule in book.Rules.Where(r => r.Enabled))
        {
            if (!_byTrigger.TryGetValue(rule.Trigger.Type, out var list)) _byTrigger[rule.Trigger.Type] = list = [];
            list.Add(RuleMatcher.Compile(rule));
        }
        AsksNewCustomer = book.Rules.Any(r => r.Enabled && (r.Conditions?.Items ?? []).Any(c => c?.Field == RuleFields.Customer));
        SlaMinutes = book.Rules.Where(r => r.Enabled && r.Trigger.Type == RuleTriggers.NoAgentReply && r.Trigger.Minutes is > 0)
            .Select(r => r.Trigger.Minutes!.Value).DefaultIfEmpty(0).Min();
    }

    public AutomationBook Book { get; }

    public AutomationSettings Settings => Book.Settings;

    /// <summary>Whether a rule asks if the customer is new (a look-up, made only then).</summary>
    public bool AsksNewCustomer { get; }

    /// <summary>The shortest wait of the brand's "no agent reply" rules, or 0 when it has none.</summary>
    public int SlaMinutes { get; }

    public IReadOnlyList<CompiledRule> For(string trigger) => _byTrigger.TryGetValue(trigger, out var list) ? list : [];
}

/// <summary>
/// Each node's copy of every brand's rules, fetched from the brand's <see cref="IAutomationGrain"/> at
/// most once per refresh interval (<c>Automation:RefreshSeconds</c>, default 5): deciding on a message
/// costs no call. A change is seen at once on the node that made it, within the interval elsewhere.
/// </summary>
public sealed class AutomationBooks(IGrainFactory grains, TimeProvider clock, IConfiguration configuration)
{
    private sealed record Entry(Task<BrandAutomation> Automation, DateTimeOffset FetchedAt);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeSpan _refresh = TimeSpan.FromSeconds(configuration.GetValue("Automation:RefreshSeconds", 5.0));

    /// <summary>How long after the ack a run is carried out (<c>Automation:RunAfterMs</c>, default 0: at once).</summary>
    public TimeSpan RunDelay { get; } = TimeSpan.FromMilliseconds(configuration.GetValue("Automation:RunAfterMs", 0));

    public ValueTask<BrandAutomation> ForBrandAsync(string brandId)
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(brandId, out var entry) && now - entry.FetchedAt < _refresh && !entry.Automation.IsFaulted)
            return entry.Automation.IsCompletedSuccessfully ? new(entry.Automation.Result) : new(entry.Automation);
        var fetch = FetchAsync(brandId);
        _entries[brandId] = new Entry(fetch, now);
        return new(fetch);
    }

    /// <summary>The brand's rules changed on this node: the next message reads them afresh.</summary>
    public void Forget(string brandId) => _entries.TryRemove(brandId, out _);

    private async Task<BrandAutomation> FetchAsync(string brandId)
    {
        // Asked from a conversation (or a sweep) acting for this brand, and no other.
        BrandContext.Set(brandId);
        return new BrandAutomation(await grains.GetGrain<IAutomationGrain>(brandId).Book());
    }
}
