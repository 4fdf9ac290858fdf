using SocialCrm.Abstractions.Brands;
using SocialCrm.Abstractions.Channels;

namespace SocialCrm.Grains.Channels;

[GenerateSerializer]
public sealed class ChannelState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public Platform Platform { get; set; }
    [Id(2)] public string ExternalAccountId { get; set; } = "";
    [Id(3)] public string DisplayName { get; set; } = "";
    [Id(4)] public ChannelSecrets? Secrets { get; set; }
    [Id(5)] public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A brand's presence on one platform; its secrets are stored and never handed out.</summary>
public sealed class ChannelGrain(
    [PersistentState("channel", GrainStorage.Name)] IPersistentState<ChannelState> state,
    TimeProvider clock) : Grain, IChannelGrain
{
    private string BrandId => Ids.BrandOf(this.GetPrimaryKeyString());

    private string ChannelId => Ids.LocalPart(this.GetPrimaryKeyString());

    async Task<Outcome<ChannelView>> IChannelGrain.Register(ChannelRegistration registration)
    {
        if (state.State.Exists) return Refusal.Conflict($"Channel '{ChannelId}' already exists.");
        state.State = new ChannelState
        {
            Exists = true,
            Platform = registration.Platform,
            ExternalAccountId = registration.ExternalAccountId,
            DisplayName = registration.DisplayName,
            Secrets = registration.Secrets,
            CreatedAt = clock.GetUtcNow(),
        };
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IBrandGrain>(BrandId).AddChannel(ChannelId);
        return View();
    }

    Task<ChannelView?> IChannelGrain.Get() => Task.FromResult(state.State.Exists ? View() : null);

    async Task<Outcome<ChannelView>> IChannelGrain.ChangeSecrets(ChannelSecrets change)
    {
        if (!state.State.Exists) return Refusal.NotFound("Channel");
        var current = state.State.Secrets;
        state.State.Secrets = new ChannelSecrets(
            Merge(current?.AppSecret, change.AppSecret), Merge(current?.VerifyToken, change.VerifyToken),
            Merge(current?.AccessToken, change.AccessToken), Merge(current?.ConsumerSecret, change.ConsumerSecret));
        await state.WriteStateAsync();
        return View();

        static string? Merge(string? stored, string? given) => given is null ? stored : given.Length == 0 ? null : given;
    }

    Task<ChannelDelivery?> IChannelGrain.DeliveryTarget() =>
        Task.FromResult(state.State.Exists ? new ChannelDelivery(state.State.Platform, state.State.Secrets, state.State.ExternalAccountId) : null);

    private ChannelView View()
    {
        var s = state.State;
        var configured = new List<string>();
        if (!string.IsNullOrEmpty(s.Secrets?.AppSecret)) configured.Add("appSecret");
        if (!string.IsNullOrEmpty(s.Secrets?.VerifyToken)) configured.Add("verifyToken");
        if (!string.IsNullOrEmpty(s.Secrets?.AccessToken)) configured.Add("accessToken");
        if (!string.IsNullOrEmpty(s.Secrets?.ConsumerSecret)) configured.Add("consumerSecret");
        return new ChannelView(ChannelId, s.Platform, s.ExternalAccountId, s.DisplayName, s.CreatedAt, configured);
    }
}
