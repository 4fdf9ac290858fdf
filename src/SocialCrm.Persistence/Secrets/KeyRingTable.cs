using SocialCrm.Persistence.Storage;

namespace SocialCrm.Persistence.Secrets;

/// <summary>
/// The key ring of a cluster in its database (<c>data_protection_keys</c>), one XML element per row,
/// so that every node opens the secrets any other sealed. Synchronous, as Data Protection asks of its
/// repositories: it reads the ring at start and about once a day, and writes a key every few months.
/// </summary>
public sealed class KeyRingTable(Database database)
{
    public IReadOnlyList<string> Elements()
    {
        using var connection = database.Open();
        using var command = database.Command(connection, "KeyRingElements", []);
        using var reader = command.ExecuteReader();
        var elements = new List<string>();
        while (reader.Read()) elements.Add(reader.GetString(0));
        return elements;
    }

    public void Store(string friendlyName, string xml)
    {
        using var connection = database.Open();
        using var command = database.Command(connection, "StoreKeyRingElement",
            [SqlArg.Text("friendly_name", friendlyName), SqlArg.Text("xml", xml)]);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Runs the action while no other node runs it (a lock held by a transaction of its own): nodes of
    /// a new cluster that start together make one first key between them, not one each.
    /// </summary>
    public async Task ExclusivelyAsync(Action action, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = database.Command(connection, "LockKeyRing", [], transaction))
        {
            command.CommandTimeout = 70;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        action();
        await transaction.CommitAsync(cancellationToken);
    }
}
