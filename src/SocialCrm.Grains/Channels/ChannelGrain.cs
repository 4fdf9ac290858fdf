using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using SocialCrm.Abstractions.Brands;
using SocialCrm.Abstractions.Channels;
using SocialCrm.Channels.Outbound;
using SocialCrm.Grains.Security;
using SocialCrm.Persistence.Channels;

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
    /// <summary>Null: ok since the channel was created.</summary>
    [Id(7)] public ChannelHealth? Health { get; set; }
}

/// <summary>A brand's presence on one platform; its secrets are stored sealed and never handed out.</summary>
public sealed class ChannelGrain(
    [PersistentState("channel", GrainStorage.Name)] IPersistentState<ChannelState> state,
    SecretSealer sealer,
    XTokenRefresh xTokens,
    ChannelHealthStore healthStore,
    ILogger<ChannelGrain> logger,
    TimeProvider clock) : Grain, IChannelGrain
{
    // After a failed refresh, callers get the current token for this long instead of a call to the platform each.
    private static readonly TimeSpan RefreshRetryAfter = TimeSpan.FromMinutes(1);
    private DateTimeOffset _noRefreshUntil;
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
        var accessToken = Merge(current?.AccessToken, change.AccessToken);
        Secrets = new ChannelSecrets(
            Merge(current?.AppSecret, change.AppSecret), Merge(current?.VerifyToken, change.VerifyToken),
            accessToken, Merge(current?.ConsumerSecret, change.ConsumerSecret),
            Merge(current?.RefreshToken, change.RefreshToken), Merge(current?.ClientId, change.ClientId),
            Merge(current?.ClientSecret, change.ClientSecret),
            // An expiry belongs to its token: a new token without one has none known.
            change.AccessTokenExpiresAt ?? (change.AccessToken is null ? current?.AccessTokenExpiresAt : null));
        // New tokens from an admin are a fresh start: the next send tells whether they work.
        var tokensChanged = change.AccessToken is not null || change.RefreshToken is not null || change.ClientId is not null
            || change.ClientSecret is not null || change.AccessTokenExpiresAt is not null;
        if (tokensChanged) _noRefreshUntil = default;
        await state.WriteStateAsync();
        if (tokensChanged) await ChangeHealthAsync(ChannelHealthState.Ok, null);
        return View();

        static string? Merge(string? stored, string? given) => given is null ? stored : given.Length == 0 ? null : given;
    }

    Task<ChannelDelivery?> IChannelGrain.DeliveryTarget() => Task.FromResult(Target());

    Task<Outcome<Platform>> IChannelGrain.VerifyWebhook(PlatformSignature signature)
    {
        if (!OnPlatform(signature.Platform)) return Task.FromResult<Outcome<Platform>>(WebhookProof.NoChannel);
        var outcome = WebhookProof.Verify(Secrets, signature, out var reason);
        if (reason is not null) logger.LogWarning("Webhook for channel {ChannelId} refused: {Reason}.", ChannelId, reason);
        return Task.FromResult(outcome);
    }

    Task<Outcome<ChallengeAnswer>> IChannelGrain.AnswerChallenge(PlatformChallenge challenge)
    {
        if (!OnPlatform(challenge.Platform)) return Task.FromResult<Outcome<ChallengeAnswer>>(WebhookProof.NoChannel);
        var outcome = WebhookProof.Answer(Secrets, challenge, out var reason);
        if (reason is not null) logger.LogWarning("{Check} for channel {ChannelId} refused: {Reason}.",
            challenge.Platform == Platform.X ? "X challenge" : "Meta subscription check", ChannelId, reason);
        return Task.FromResult(outcome);
    }

    private bool OnPlatform(Platform platform) => state.State.Exists && state.State.Platform == platform;

    async Task<ChannelDelivery?> IChannelGrain.RenewAccessToken(string? usedAccessToken)
    {
        var secrets = Secrets;
        // Renewed since the caller read it (by another conversation's call), or a renewal failed a moment ago: nothing to do.
        if (!state.State.Exists || secrets?.AccessToken != usedAccessToken || clock.GetUtcNow() < _noRefreshUntil) return Target();
        var platform = WireNames.Of(state.State.Platform);
        if (state.State.Platform != Platform.X || !XTokenRefresh.CanRefresh(secrets))
        {
            await ChangeHealthAsync(ChannelHealthState.TokenExpired, $"The {platform} access token expired or was refused, and the channel has no refresh token to renew it.");
            return Target();
        }
        var refresh = await xTokens.RefreshAsync(secrets!, CancellationToken.None);
        var now = clock.GetUtcNow();
        if (!refresh.Refreshed)
        {
            _noRefreshUntil = now + RefreshRetryAfter;
            logger.LogWarning("The access token of channel {ChannelId} could not be refreshed: {Error}", ChannelId, refresh.Error);
            await ChangeHealthAsync(ChannelHealthState.RefreshFailed, refresh.Error);
            return Target();
        }
        // The old refresh token is spent: the new pair is stored before anyone sends with it.
        Secrets = secrets! with
        {
            AccessToken = refresh.AccessToken,
            RefreshToken = refresh.RefreshToken ?? secrets.RefreshToken,
            AccessTokenExpiresAt = refresh.ExpiresIn is { } lifetime ? now + lifetime : null,
        };
        await state.WriteStateAsync();
        await ChangeHealthAsync(ChannelHealthState.Ok, null);
        return Target();
    }

    private ChannelDelivery? Target() =>
        state.State.Exists ? new ChannelDelivery(state.State.Platform, Secrets, state.State.ExternalAccountId) : null;

    /// <summary>Records a change of health in the state and in the projection the readiness check reads; the same state again changes nothing.</summary>
    private async Task ChangeHealthAsync(ChannelHealthState health, string? detail)
    {
        var current = state.State.Health;
        if ((current?.State ?? ChannelHealthState.Ok) == health && (current is null || current.Detail == detail)) return;
        state.State.Health = new ChannelHealth(health, clock.GetUtcNow(), detail is { Length: > 500 } ? detail[..500] : detail);
        await state.WriteStateAsync();
        try
        {
            await healthStore.SaveAsync(BrandId, ChannelId, WireNames.Of(state.State.Platform), WireNames.Of(health),
                state.State.Health.Since, state.State.Health.Detail);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The channel's own view is right; the readiness check catches up at the next change.
            logger.LogWarning("The health of channel {ChannelId} could not be recorded for the readiness check: {Error}", ChannelId, ex.GetType().Name);
        }
    }

    private ChannelView View()
    {
        var s = state.State;
        var configured = new List<string>();
        if (!string.IsNullOrEmpty(Secrets?.AppSecret)) configured.Add("appSecret");
        if (!string.IsNullOrEmpty(Secrets?.VerifyToken)) configured.Add("verifyToken");
        if (!string.IsNullOrEmpty(Secrets?.AccessToken)) configured.Add("accessToken");
        if (!string.IsNullOrEmpty(Secrets?.ConsumerSecret)) configured.Add("consumerSecret");
        if (!string.IsNullOrEmpty(Secrets?.RefreshToken)) configured.Add("refreshToken");
        if (!string.IsNullOrEmpty(Secrets?.ClientId)) configured.Add("clientId");
        if (!string.IsNullOrEmpty(Secrets?.ClientSecret)) configured.Add("clientSecret");
        return new ChannelView(ChannelId, s.Platform, s.ExternalAccountId, s.DisplayName, s.CreatedAt, configured,
            s.Health ?? new ChannelHealth(ChannelHealthState.Ok, s.CreatedAt, null), Secrets?.AccessTokenExpiresAt);
    }
}
