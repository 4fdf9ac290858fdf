using SocialCrm.Abstractions.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Brands;
using System.Security.Claims;
using SocialCrm.Abstractions.Channels;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Host.Auth;

namespace SocialCrm.Host.Api;

/// <summary>
/// A channel's secrets as an admin gives them. X's OAuth 2.0 user tokens add <c>refreshToken</c>,
/// <c>clientId</c>, <c>clientSecret</c> (a confidential client's) and the access token's expiry, as
/// <c>accessTokenExpiresAt</c> or as X gave it, <c>expiresIn</c> seconds.
/// </summary>
public sealed record ChannelSecretsRequest(string? AppSecret, string? VerifyToken, string? AccessToken, string? ConsumerSecret,
    string? RefreshToken = null, string? ClientId = null, string? ClientSecret = null, DateTimeOffset? AccessTokenExpiresAt = null,
    long? ExpiresIn = null)
{
    public bool IsEmpty => this == new ChannelSecretsRequest(null, null, null, null);

    public ChannelSecrets ToSecrets(DateTimeOffset now) => new(AppSecret, VerifyToken, AccessToken, ConsumerSecret, RefreshToken, ClientId,
        ClientSecret, AccessTokenExpiresAt ?? (ExpiresIn is { } seconds ? now.AddSeconds(seconds) : null));
}

/// <summary>Whether the channel can send: <c>ok</c>, <c>token-expired</c> or <c>refresh-failed</c>, since when, and why.</summary>
public sealed record ChannelHealthResponse(string State, DateTimeOffset Since, string? Detail);

public sealed record CreateChannelRequest(string? Id, string? Platform, string? ExternalAccountId, string? DisplayName, ChannelSecretsRequest? Secrets);

public sealed record ChannelResponse(string Id, string Platform, string ExternalAccountId, string DisplayName, DateTimeOffset CreatedAt,
    IReadOnlyList<string> ConfiguredSecrets, ChannelHealthResponse Health, DateTimeOffset? AccessTokenExpiresAt)
{
    public static ChannelResponse From(ChannelView v) =>
        new(v.Id, WireNames.Of(v.Platform), v.ExternalAccountId, v.DisplayName, v.CreatedAt, v.ConfiguredSecrets,
            new ChannelHealthResponse(WireNames.Of(v.Health.State), v.Health.Since, v.Health.Detail), v.AccessTokenExpiresAt);
}

public sealed record PostBody(string? Text, string? Purpose);

public sealed record PostResponse(string ConversationId, string ExternalThreadId, string MessageId);

/// <summary>A brand's channels: registered by admins, read by agents; secrets go in and never come out.</summary>
public static class ChannelsApi
{
    public static void MapChannelsApi(this IEndpointRouteBuilder app)
    {
        var channels = app.MapGroup("/v1/brands/{brandId}/channels");
        channels.MapPost("/", Create).RequireAuthorization(Policies.For(RoleSets.Administration)).ProducesProblem(409);
        channels.MapGet("/", List).RequireAuthorization(Policies.For(RoleSets.ChannelUse));
        channels.MapPost("/{channelId}/posts", Post).RequireAuthorization(Policies.For(RoleSets.ChannelUse)).ProducesProblem(404);
        channels.MapGet("/{channelId}", Get).RequireAuthorization(Policies.For(RoleSets.ChannelUse)).ProducesProblem(404);
        channels.MapPatch("/{channelId}/secrets", ChangeSecrets).RequireAuthorization(Policies.For(RoleSets.Administration)).ProducesProblem(404);
    }

    private static async Task<Results<Created<ChannelResponse>, ProblemHttpResult, ValidationProblem>> Create(string brandId, CreateChannelRequest? body, IGrainFactory grains, TimeProvider clock)
    {
        var errors = new FieldErrors();
        var platform = AdminRules.Channel(errors, body?.Id, body?.Platform, body?.ExternalAccountId, body?.DisplayName);
        var s = body?.Secrets;
        CheckSecrets(errors, s, "secrets.");
        if (errors.Any) return errors.ToProblem();
        var secrets = s?.ToSecrets(clock.GetUtcNow());
        var id = body!.Id!;
        var outcome = await grains.GetGrain<IChannelGrain>(Ids.Scoped(brandId, id))
            .Register(new ChannelRegistration(platform, body.ExternalAccountId!, body.DisplayName ?? id, secrets));
        return ResultsOf.Map(outcome, v => TypedResults.Created($"/v1/brands/{brandId}/channels/{v.Id}", ChannelResponse.From(v)));
    }

    private static void CheckSecrets(FieldErrors errors, ChannelSecretsRequest? s, string prefix)
    {
        AdminRules.ChannelSecrets(errors, s is null ? null : new ChannelSecrets(s.AppSecret, s.VerifyToken, s.AccessToken, s.ConsumerSecret,
            s.RefreshToken, s.ClientId, s.ClientSecret), prefix);
        if (s?.ExpiresIn is { } seconds && seconds is < 1 or > 10L * 365 * 86_400)
            errors.Add(prefix + "expiresIn", "must be a number of seconds between 1 and ten years.");
        if (s is { ExpiresIn: not null, AccessTokenExpiresAt: not null })
            errors.Add(prefix + "expiresIn", "give accessTokenExpiresAt or expiresIn, not both.");
    }

    /// <summary>
    /// Rotates a channel's secrets (tokens expire, app secrets get reset): a given value replaces the
    /// stored one, <c>""</c> removes it, a missing one stays. The answer names which are set, never their values.
    /// </summary>
    private static async Task<Results<Ok<ChannelResponse>, ProblemHttpResult, ValidationProblem>> ChangeSecrets(string brandId, string channelId, ChannelSecretsRequest? body, IGrainFactory grains,
        ILoggerFactory loggers, TimeProvider clock)
    {
        var errors = new FieldErrors();
        CheckSecrets(errors, body, "");
        if (body is null || body.IsEmpty)
            errors.Add("secrets", "Give at least one of appSecret, verifyToken, accessToken, consumerSecret, refreshToken, clientId, clientSecret, "
                + "accessTokenExpiresAt, expiresIn (\"\" removes a secret).");
        if (!Ids.IsValid(channelId)) return Problems.NotFound("Channel");
        if (errors.Any) return errors.ToProblem();
        var outcome = await grains.GetGrain<IChannelGrain>(Ids.Scoped(brandId, channelId)).ChangeSecrets(body!.ToSecrets(clock.GetUtcNow()));
        if (outcome.Value is not null) loggers.CreateLogger(typeof(ChannelsApi)).LogInformation("The secrets of channel {ChannelId} were changed.", channelId);
        return ResultsOf.Map(outcome, v => TypedResults.Ok(ChannelResponse.From(v)));
    }

    /// <summary>A 1/n broadcast: the brand's post; comments on its thread id land in the same conversation.</summary>
    private static async Task<Results<Created<PostResponse>, ProblemHttpResult, ValidationProblem>> Post(string brandId, string channelId, PostBody? body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var text = errors.Required("text", body?.Text, InboundApi.MaxTextLength);
        var purpose = errors.Enum<Purpose>("purpose", body?.Purpose ?? "marketing");
        if (!OutboundPurpose.Allows(purpose)) errors.Add("purpose", OutboundPurpose.Refusal);
        if (errors.Any) return errors.ToProblem();
        if (!Ids.IsValid(channelId)) return Problems.NotFound("Channel");
        var channel = await grains.GetGrain<IChannelGrain>(Ids.Scoped(brandId, channelId)).Get();
        if (channel is null) return Problems.NotFound("Channel");

        var threadId = Ids.New("post");
        var conversationId = ConversationAddress.ForPublicThread(channelId, threadId);
        var outcome = await grains.GetGrain<IConversationGrain>(Ids.Scoped(brandId, conversationId))
            .CreatePost(new PostRequest(channelId, channel.Platform, threadId, text!, purpose, ConversationsApi.ActorOf(user)));
        return ResultsOf.Map(outcome, r => TypedResults.Created($"/v1/brands/{brandId}/conversations/{conversationId}",
            new PostResponse(conversationId, threadId, r.MessageId)));
    }

    private static async Task<Ok<IEnumerable<ChannelResponse>>> List(string brandId, IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IBrandGrain>(brandId).ChannelIds();
        var views = await Task.WhenAll(ids.Select(id => grains.GetGrain<IChannelGrain>(Ids.Scoped(brandId, id)).Get()));
        return TypedResults.Ok(views.OfType<ChannelView>().Select(ChannelResponse.From));
    }

    private static async Task<Results<Ok<ChannelResponse>, ProblemHttpResult>> Get(string brandId, string channelId, IGrainFactory grains)
    {
        if (!Ids.IsValid(channelId)) return Problems.NotFound("Channel");
        var view = await grains.GetGrain<IChannelGrain>(Ids.Scoped(brandId, channelId)).Get();
        return view is null ? Problems.NotFound("Channel") : TypedResults.Ok(ChannelResponse.From(view));
    }
}
