using SocialCrm.Persistence.Storage;

namespace SocialCrm.Persistence.Brands;

/// <summary>
/// The hashes of every API key ever issued. Authentication asks it before waking a key's grain, so a
/// guessed key costs one indexed read and no activation; whether a key still works is its grain's answer.
/// </summary>
public sealed class ApiKeyIndex(Database database)
{
    public async Task<bool> ContainsAsync(string keyHash, CancellationToken cancellationToken = default) =>
        (await database.QueryAsync("ApiKeyExists", [SqlArg.Text("key_hash", keyHash)], _ => true, cancellationToken)).Count > 0;

    /// <summary>Written before the key's grain learns its identity, so every working key is indexed.</summary>
    public Task AddAsync(string keyHash, CancellationToken cancellationToken = default) =>
        database.ExecuteAsync("IndexApiKey", [SqlArg.Text("key_hash", keyHash)], cancellationToken);

    /// <summary>Indexes the keys issued before this index existed (idempotent; run at start).</summary>
    public Task<int> IndexStoredKeysAsync(string serviceId, CancellationToken cancellationToken = default) =>
        database.ExecuteAsync("IndexStoredApiKeys", [SqlArg.Text("service_id", serviceId)], cancellationToken);
}
