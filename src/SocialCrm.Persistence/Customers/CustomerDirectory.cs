using SocialCrm.Persistence.Storage;

namespace SocialCrm.Persistence.Customers;

/// <summary>Reads what the projections know of a customer.</summary>
public sealed class CustomerDirectory(Database database)
{
    public async Task<IReadOnlyList<string>> ConversationsOfAsync(string brandId, string customerId, CancellationToken cancellationToken = default) =>
        await database.QueryAsync("ConversationsOfCustomer",
            [SqlArg.Text("brand_id", brandId), SqlArg.Text("customer_id", customerId)],
            r => r.GetString(0), cancellationToken);
}
