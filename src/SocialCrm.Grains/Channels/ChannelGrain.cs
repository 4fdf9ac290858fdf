using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using SocialCrm.Abstractions.Brands;
using SocialCrm.Abstractions.Channels;
using SocialCrm.Grains.Security;

namespace SocialCrm.Grains.Channels;

[GenerateSerializer]
public sealed class ChannelState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public Platform Platform { get; set; }
    [Id(2)] public string ExternalAccountId { get; set; } = "";
    [Id(3)] public string DisplayName { get; set; } = "";
    /// <summary>Secrets as versions before sealing stored them; read once at activation, then sealed and cleared.</summary>
    [Id(4)] public ChannelSecrets? ClearSecrets { get; set; }
    [Id(5)] public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The whole <see cref="ChannelSecrets"/> record, sealed (<see cref="SecretSealer"/>).</summary>
    [Id(6)] public byte[]? SealedSecrets { get; set; }
}

/// <summary>A brand's presence on one platform; its secrets are stored sealed and never handed out.</summary>
public sealed class ChannelGrain(
    [PersistentState("channel", GrainStorage.Name)] IPersistentState<ChannelState> state,
    SecretSealer sealer,
    ILogger<ChannelGrain> logger,
    TimeProvider clock) : Grain, IChannelGrain
{
    private ChannelSecrets? _secrets;

    private string BrandId => Ids.BrandOf(this.GetPrimaryKeyString());

    private string ChannelId => Ids.LocalPart(this.GetPrimaryKeyString());

    /// <summary>The secrets in clear, in memory only; setting them seals them into the state, to be written.</summary>
    private ChannelSecrets? Secrets
    {
        get => _secrets;
        set
        {
            _secrets = value;
            state.State.SealedSecrets = sealer.Seal(this.GetPrimaryKeyString(), value);
            state.State.ClearSecrets = null;
        }
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.ClearSecrets is { } clear)
        {
            // Stored in clear by an earlier version: sealed now, so an upgrade keeps the channel working.
            Secrets = clear;
            await state.WriteStateAsync(cancellationToken);
        }
        else if (state.State.SealedSecrets is { } sealedSecrets)
        {
            try
            {
                _secrets = sealer.Open(this.GetPrimaryKeyString(), sealedSecrets);
            }
            catch (CryptographicException)
            {
                // The key ring lost or revoked their key: the channel works as one without secrets (its
                // webhooks are refused, its replies fail) until an admin sets them again.
                logger.LogWarning("The secrets of channel {ChannelId} cannot be opened with this node's key ring; set them again.", ChannelId);
            }
        }
        await base.OnActivateAsync(cancellationToken);
    }

    async Task<Outcome<ChannelView>> IChannelGrain.Register(ChannelRegistration registration)
    {
        if (state.State.Exists) return Refusal.Conflict($"Channel '{ChannelId}' already exists.");
        state.State = new ChannelState
        {
            Exists = true,
            Platform = registration.Platform,
            ExternalAccountId = registration.ExternalAccountId,
            DisplayName = registration.DisplayName,
            CreatedAt = clock.GetUtcNow(),
        };
        Secrets = registration.Secrets;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IBrandGrain>(BrandId).AddChannel(ChannelId);
        return View();
    }

    Task<ChannelView?> IChannelGrain.Get() => Task.FromResult(state.State.Exists ? View() : null);

    async Task<Outcome<ChannelView>> IChannelGrain.ChangeSecrets(ChannelSecrets change)
    {
        if (!state.State.Exists) return Refusal.NotFound("Channel");
        var current = Secrets;
        Secrets = new ChannelSecrets(
            Merge(current?.AppSecret, change.AppSecret), Merge(current?.VerifyToken, change.VerifyToken),
            Merge(current?.AccessToken, change.AccessToken), Merge(current?.ConsumerSecret, change.ConsumerSecret));
        await state.WriteStateAsync();
        return View();

        static string? Merge(string? stored, string? given) => given is null ? stored : given.Length == 0 ? null : given;
    }

    Task<ChannelDelivery?> IChannelGrain.DeliveryTarget() =>
        Task.FromResult(state.State.Exists ? new ChannelDelivery(state.State.Platform, Secrets, state.State.ExternalAccountId) : null);

    private ChannelView View()
    {
        var s = state.State;
        var configured = new List<string>();
        if (!string.IsNullOrEmpty(Secrets?.AppSecret)) configured.Add("appSecret");
        if (!string.IsNullOrEmpty(Secrets?.VerifyToken)) configured.Add("verifyToken");
        if (!string.IsNullOrEmpty(Secrets?.AccessToken)) configured.Add("accessToken");
        if (!string.IsNullOrEmpty(Secrets?.ConsumerSecret)) configured.Add("consumerSecret");
        return new ChannelView(ChannelId, s.Platform, s.ExternalAccountId, s.DisplayName, s.CreatedAt, configured);
    }
}
