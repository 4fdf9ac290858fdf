using SocialCrm.Persistence.Storage;

namespace SocialCrm.Persistence.Channels;

/// <summary>A channel that cannot send as it should, as the readiness check lists it.</summary>
public sealed record UnhealthyChannel(string BrandId, string ChannelId, string Platform, string State, DateTimeOffset Since, string? Detail);

/// <summary>
/// The projection of channels' health, one row per channel that ever changed state, written by its
/// grain when the state changes: the readiness check of any node reads the few unhealthy ones
/// without waking a grain, and every node sees the same rows.
/// </summary>
public sealed class ChannelHealthStore(Database database)
{
    /// <summary>At most this many are listed: enough to act on, small enough for a probe.</summary>
    public const int MaxListed = 50;

    public Task SaveAsync(string brandId, string channelId, string platform, string state, DateTimeOffset since, string? detail,
        CancellationToken cancellationToken = default) =>
        database.ExecuteAsync("UpsertChannelHealth",
        [
            SqlArg.Text("brand_id", brandId), SqlArg.Text("channel_id", channelId), SqlArg.Text("platform", platform),
            SqlArg.Text("state", state), SqlArg.Int64("since_ms", since.ToUnixTimeMilliseconds()), SqlArg.Text("detail", detail),
        ], cancellationToken);

    /// <summary>The channels whose state is not <c>ok</c>, longest unhealthy first.</summary>
    public Task<List<UnhealthyChannel>> UnhealthyAsync(CancellationToken cancellationToken = default) =>
        database.QueryAsync("UnhealthyChannels", [SqlArg.Int32("limit", MaxListed)],
            r => new UnhealthyChannel(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(r.Int64(4)), r.StringOrNull(5)), cancellationToken);
}
