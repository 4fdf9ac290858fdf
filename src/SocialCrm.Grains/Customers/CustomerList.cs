using SocialCrm.Persistence.Privacy;

namespace SocialCrm.Grains.Customers;

/// <summary>A customer as the brand's list shows it.</summary>
public sealed record CustomerListEntry(string Id, DateTimeOffset CreatedAt);

/// <summary>A page of the list; <paramref name="NextAfterId"/> is where the next page starts, null after the last.</summary>
public sealed record CustomerListPage(IReadOnlyList<CustomerListEntry> Items, string? NextAfterId);

/// <summary>The brand's customers in id order, a page at a time, read from the projection the customer grains keep.</summary>
public sealed class CustomerList(PrivacyStore privacy)
{
    /// <param name="segment">A segment of the contract, or null for everyone.</param>
    public async Task<CustomerListPage> PageAsync(string brandId, string? segment, string? afterId, int limit)
    {
        // No customer is placed in a segment yet (profiles answer segment: null), so a segment holds no one.
        if (segment is not null) return new CustomerListPage([], null);
        var rows = await privacy.ListCustomersAsync(brandId, afterId, limit + 1);
        var items = rows.Take(limit).Select(r => new CustomerListEntry(r.Id, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAtMs))).ToList();
        return new CustomerListPage(items, rows.Count > limit ? items[^1].Id : null);
    }
}
