using SocialCrm.Abstractions.Security;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Insights;
using SocialCrm.Grains.Insights;
using SocialCrm.Host.Auth;

namespace SocialCrm.Host.Api;

public sealed record ConversationResponse(
    string Id, string ChannelId, string Visibility, string Kind, string Status, IReadOnlyList<string> CustomerIds,
    string? Assignee, string Controller, IReadOnlyList<string> LinkedConversationIds, DateTimeOffset? LastMessageAt,
    DateTimeOffset? WindowClosesAt, long MessageCount, SentimentView? Sentiment, string? ExternalThreadId, DateTimeOffset CreatedAt,
    IReadOnlyList<string> Tags, string Priority, string? TeamId, long UnreadCount);

public sealed record InboxItemResponse(
    string Id, string ChannelId, string Visibility, string Kind, string Status, string? CustomerId, string? Assignee,
    string Controller, DateTimeOffset LastActivityAt, long MessageCount, string? ExternalThreadId, SentimentView? Sentiment,
    IReadOnlyList<string> Tags, string Priority, string? TeamId, long UnreadCount);

/// <summary>How many conversations of a filter hold unread customer messages; <c>capped</c> when there are at least that many.</summary>
public sealed record UnreadCountResponse(long Unread, bool Capped);

public sealed record InboxResponse(IReadOnlyList<InboxItemResponse> Items, string? NextCursor);

public sealed record MessageResponse(
    long Seq, string Id, string AuthorType, string AuthorId, string? Text, DateTimeOffset CreatedAt, string Visibility,
    SentimentView? Sentiment, string? DeliveryStatus, bool Redacted, string? ExternalMessageId, string? InReplyToExternalMessageId, string? Purpose,
    MessageEvent? Event, string? QuotedMessageId);

/// <summary>A change in the conversation's history (control, assignee, status, links), as recorded in its log.</summary>
public sealed record MessageEvent(string Type, System.Text.Json.Nodes.JsonNode? Data);

public sealed record MessagesResponse(IReadOnlyList<MessageResponse> Items, long? NextAfterSeq);

public sealed record ReplyRequestBody(string? Text, string? Purpose, bool? HumanAgentTag, string? ClientMessageId);

public sealed record ReplyResponse(string MessageId, long Seq, bool Duplicate);

public sealed record TakePrivateBody(string? MessageId, string? PublicReply);

public sealed record TakePrivateResponse(string PrivateConversationId);

public sealed record PublishBody(string? MessageId, string? TargetConversationId);

public sealed record ControlBody(string? Action, string? BotId);

public sealed record ControlResponse(string Controller);

/// <summary>An agent, a team, or both; a team without an agent goes to its next available member.</summary>
public sealed record AssignBody(string? AgentId, string? TeamId);

public sealed record TagsBody(IReadOnlyList<string?>? Tags);

public sealed record PriorityBody(string? Priority);

public sealed record StatusBody(string? Status);

/// <summary>The unified inbox, a conversation, its messages, and replies.</summary>
public static class ConversationsApi
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 200;

    public static void MapConversationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/brands/{brandId}/conversations")
            .RequireAuthorization(Policies.For(RoleSets.Conversations));
        group.MapGet("/", List);
        group.MapGet("/{conversationId}", Get).ProducesProblem(404);
        group.MapGet("/{conversationId}/messages", Messages).ProducesProblem(404);
        group.MapPost("/{conversationId}/messages", Reply).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        group.MapPost("/{conversationId}/control", Control).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapGet("/unread-count", UnreadCount);
        group.MapPut("/{conversationId}/tags", SetTags).ProducesProblem(404);
        group.MapPut("/{conversationId}/priority", SetPriority).ProducesProblem(404);

        var agents = app.MapGroup("/v1/brands/{brandId}/conversations/{conversationId}")
            .RequireAuthorization(Policies.For(RoleSets.AgentWork));
        agents.MapPost("/take-private", TakePrivate).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        agents.MapPost("/publish", Publish).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        agents.MapPost("/assign", Assign).ProducesProblem(404);
        agents.MapPost("/status", SetStatus).ProducesProblem(404);
        agents.MapPost("/seen", Seen).ProducesProblem(404);
    }

    /// <summary>Who is calling, as the conversation sees them: a bot by its key's name, anyone else as an agent.</summary>
    public static Actor ActorOf(ClaimsPrincipal user) => new(
        user.IsInRole(WireNames.Of(Role.Bot)) ? AuthorType.Bot : AuthorType.Agent,
        user.FindFirst(ClaimTypes.Name)?.Value ?? "unknown");

    private static async Task<Results<Created<TakePrivateResponse>, ProblemHttpResult, ValidationProblem>> TakePrivate(string brandId, string conversationId, TakePrivateBody? body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        if (body?.MessageId is not null) errors.Id("messageId", body.MessageId);
        var publicReply = errors.Optional("publicReply", body?.PublicReply, InboundApi.MaxTextLength);
        if (errors.Any) return errors.ToProblem();
        if (!Ids.IsValid(conversationId)) return Problems.NotFound("Conversation");
        var outcome = await Conversation(grains, brandId, conversationId).TakePrivate(new TakePrivateRequest(body?.MessageId, publicReply, ActorOf(user)));
        return ResultsOf.Map(outcome, id => TypedResults.Created($"/v1/brands/{brandId}/conversations/{id}", new TakePrivateResponse(id)));
    }

    private static async Task<Results<Created<ReplyResponse>, ProblemHttpResult, ValidationProblem>> Publish(string brandId, string conversationId, PublishBody? body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var messageId = errors.Id("messageId", body?.MessageId);
        var target = errors.Id("targetConversationId", body?.TargetConversationId);
        if (errors.Any) return errors.ToProblem();
        if (!Ids.IsValid(conversationId)) return Problems.NotFound("Conversation");
        var outcome = await Conversation(grains, brandId, conversationId).PublishTo(new PublishRequest(messageId!, target!, ActorOf(user)));
        return ResultsOf.Map(outcome, r => TypedResults.Created($"/v1/brands/{brandId}/conversations/{target}/messages?afterSeq={r.Seq - 1}&limit=1",
            new ReplyResponse(r.MessageId, r.Seq, false)));
    }

    private static async Task<Results<Ok<ControlResponse>, ProblemHttpResult, ValidationProblem>> Control(string brandId, string conversationId, ControlBody? body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var action = body?.Action switch
        {
            "pass-to-bot" => ControlAction.PassToBot,
            "pass-to-human" => ControlAction.PassToHuman,
            "take" => ControlAction.Take,
            null => Fail("is required."),
            _ => Fail("must be one of: pass-to-bot, pass-to-human, take."),
        };
        if (action == ControlAction.PassToBot) errors.Id("botId", body?.BotId);
        if (errors.Any) return errors.ToProblem();
        if (!Ids.IsValid(conversationId)) return Problems.NotFound("Conversation");
        // Which role may make which move, the conversation decides.
        var outcome = await Conversation(grains, brandId, conversationId).ChangeControl(new ControlChange(action, body?.BotId, ActorOf(user)));
        return ResultsOf.Map(outcome, controller => TypedResults.Ok(new ControlResponse(controller)));

        ControlAction Fail(string message)
        {
            errors.Add("action", message);
            return default;
        }
    }

    private static async Task<Results<Ok<ConversationResponse>, ProblemHttpResult, ValidationProblem>> Assign(string brandId, string conversationId, AssignBody? body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        // An empty or null agent id unassigns; a team id hands the conversation to that team.
        var agentId = string.IsNullOrEmpty(body?.AgentId) ? null : errors.Id("agentId", body.AgentId);
        var teamId = body?.TeamId is null ? null : errors.Id("teamId", body.TeamId);
        if (errors.Any) return errors.ToProblem();
        if (!Ids.IsValid(conversationId)) return Problems.NotFound("Conversation");
        var conversation = Conversation(grains, brandId, conversationId);
        var outcome = teamId is null ? await conversation.Assign(agentId, ActorOf(user)) : await conversation.AssignTeam(teamId, agentId, ActorOf(user));
        return ResultsOf.Map(outcome, v => TypedResults.Ok(Response(v)));
    }

    private static async Task<Results<Ok<ConversationResponse>, ProblemHttpResult, ValidationProblem>> SetStatus(string brandId, string conversationId, StatusBody? body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var status = errors.Enum<ConversationStatus>("status", body?.Status);
        if (errors.Any) return errors.ToProblem();
        if (!Ids.IsValid(conversationId)) return Problems.NotFound("Conversation");
        var outcome = await Conversation(grains, brandId, conversationId).SetStatus(status, ActorOf(user));
        return ResultsOf.Map(outcome, v => TypedResults.Ok(Response(v)));
    }

    private static async Task<Results<Ok<InboxResponse>, ValidationProblem>> List(string brandId, [AsParameters] InboxFilterQuery filter,
        int? limit, string? cursor, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var pageSize = Limit(errors, limit);
        var after = cursor is null ? null : DecodeCursor(cursor);
        if (cursor is not null && after is null) errors.Add("cursor", "is not a cursor this service gave.");
        var query = filter.Parse(errors, pageSize, after);
        if (errors.Any) return errors.ToProblem();

        var page = await grains.GetGrain<IInboxGrain>(brandId).List(query);
        return TypedResults.Ok(new InboxResponse(
            page.Items.Select(i => new InboxItemResponse(i.Id, i.ChannelId, WireNames.Of(i.Visibility), WireNames.Of(i.Kind),
                WireNames.Of(i.Status), i.CustomerId, i.Assignee, i.Controller, i.LastActivityAt, i.MessageCount, i.ExternalThreadId,
                i.Sentiment, i.Tags ?? [], WireNames.Of(i.Priority), i.TeamId, i.UnreadCount)).ToList(),
            page.Next is null ? null : EncodeCursor(page.Next)));
    }

    /// <summary>Counted up to this many: a badge of "10,000+" says enough, and a flood costs a bounded scan.</summary>
    public const int UnreadCountCap = 10_000;

    private static async Task<Results<Ok<UnreadCountResponse>, ValidationProblem>> UnreadCount(string brandId, [AsParameters] InboxFilterQuery filter,
        IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var query = filter.Parse(errors, limit: 0, after: null);
        if (errors.Any) return errors.ToProblem();
        var unread = await grains.GetGrain<IInboxGrain>(brandId).CountUnread(query, UnreadCountCap);
        return TypedResults.Ok(new UnreadCountResponse(unread, unread >= UnreadCountCap));
    }

    private static async Task<Results<Ok<ConversationResponse>, ProblemHttpResult, ValidationProblem>> SetTags(string brandId, string conversationId, TagsBody? body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var tags = Tags.Validate("tags", body?.Tags, errors);
        if (errors.Any) return errors.ToProblem();
        if (!Ids.IsValid(conversationId)) return Problems.NotFound("Conversation");
        var outcome = await Conversation(grains, brandId, conversationId).SetTags(tags, ActorOf(user));
        return ResultsOf.Map(outcome, v => TypedResults.Ok(Response(v)));
    }

    private static async Task<Results<Ok<ConversationResponse>, ProblemHttpResult, ValidationProblem>> SetPriority(string brandId, string conversationId, PriorityBody? body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var priority = errors.Enum<ConversationPriority>("priority", body?.Priority);
        if (errors.Any) return errors.ToProblem();
        if (!Ids.IsValid(conversationId)) return Problems.NotFound("Conversation");
        var outcome = await Conversation(grains, brandId, conversationId).SetPriority(priority, ActorOf(user));
        return ResultsOf.Map(outcome, v => TypedResults.Ok(Response(v)));
    }

    private static async Task<Results<Ok<ConversationResponse>, ProblemHttpResult, ValidationProblem>> Seen(string brandId, string conversationId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.IsValid(conversationId)) return Problems.NotFound("Conversation");
        var outcome = await Conversation(grains, brandId, conversationId).MarkSeen(ActorOf(user));
        return ResultsOf.Map(outcome, v => TypedResults.Ok(Response(v)));
    }

    private static async Task<Results<Ok<ConversationResponse>, ProblemHttpResult, ValidationProblem>> Get(string brandId, string conversationId, IGrainFactory grains)
    {
        if (!Ids.IsValid(conversationId)) return Problems.NotFound("Conversation");
        var outcome = await Conversation(grains, brandId, conversationId).Get();
        return ResultsOf.Map(outcome, v => TypedResults.Ok(Response(v)));
    }

    private static ConversationResponse Response(ConversationView v) => new(v.Id, v.ChannelId, WireNames.Of(v.Visibility),
        WireNames.Of(v.Kind), WireNames.Of(v.Status), v.CustomerIds, v.Assignee, v.Controller, v.LinkedConversationIds,
        v.LastMessageAt, v.WindowClosesAt, v.MessageCount, v.Sentiment, v.ExternalThreadId, v.CreatedAt,
        v.Tags ?? [], WireNames.Of(v.Priority), v.TeamId, v.UnreadCount);

    private static async Task<Results<Ok<MessagesResponse>, ProblemHttpResult, ValidationProblem>> Messages(string brandId, string conversationId, long? afterSeq, int? limit, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var pageSize = Limit(errors, limit);
        if (afterSeq < 0) errors.Add("afterSeq", "must be 0 or more.");
        if (errors.Any) return errors.ToProblem();
        if (!Ids.IsValid(conversationId)) return Problems.NotFound("Conversation");
        var outcome = await Conversation(grains, brandId, conversationId).Messages(afterSeq ?? 0, pageSize);
        return ResultsOf.Map(outcome, page => TypedResults.Ok(new MessagesResponse(
            page.Items.Select(m => new MessageResponse(m.Seq, m.Id, WireNames.Of(m.AuthorType), m.AuthorId, m.Text, m.CreatedAt,
                WireNames.Of(m.Visibility), m.Sentiment, m.DeliveryStatus, m.Redacted, m.ExternalMessageId,
                m.InReplyToExternalMessageId, m.Purpose is { } p ? WireNames.Of(p) : null,
                m.EventType is null ? null : new MessageEvent(m.EventType, m.EventData is null ? null : System.Text.Json.Nodes.JsonNode.Parse(m.EventData)),
                m.QuotedMessageId)).ToList(),
            page.NextAfterSeq)));
    }

    private static async Task<Results<Created<ReplyResponse>, Ok<ReplyResponse>, ProblemHttpResult, ValidationProblem>> Reply(string brandId, string conversationId, ReplyRequestBody? body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var text = errors.Required("text", body?.Text, InboundApi.MaxTextLength);
        var purpose = errors.Enum<Purpose>("purpose", body?.Purpose ?? "service");
        if (!OutboundPurpose.Allows(purpose)) errors.Add("purpose", OutboundPurpose.Refusal);
        var clientMessageId = body?.ClientMessageId;
        if (clientMessageId is not null) errors.Id("clientMessageId", clientMessageId);
        if (errors.Any) return errors.ToProblem();
        if (!Ids.IsValid(conversationId)) return Problems.NotFound("Conversation");

        var actor = ActorOf(user);
        var outcome = await Conversation(grains, brandId, conversationId).Reply(new ReplyRequest(
            actor.Type, actor.Id, text!, purpose, body!.HumanAgentTag ?? false, clientMessageId));
        return ResultsOf.Map(outcome, r =>
        {
            var response = new ReplyResponse(r.MessageId, r.Seq, r.Duplicate);
            return r.Duplicate
                ? (Results<Created<ReplyResponse>, Ok<ReplyResponse>>)TypedResults.Ok(response)
                : TypedResults.Created($"/v1/brands/{brandId}/conversations/{conversationId}/messages?afterSeq={r.Seq - 1}&limit=1", response);
        });
    }

    private static IConversationGrain Conversation(IGrainFactory grains, string brandId, string conversationId) =>
        grains.GetGrain<IConversationGrain>(Ids.Scoped(brandId, conversationId));

    private static int Limit(FieldErrors errors, int? limit)
    {
        if (limit is null) return DefaultLimit;
        if (limit is < 1 or > MaxLimit) errors.Add("limit", $"must be between 1 and {MaxLimit}.");
        return Math.Clamp(limit.Value, 1, MaxLimit);
    }

    // A cursor is opaque to callers: the keyset position, base64url-encoded.
    private static string EncodeCursor(InboxCursor cursor) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{cursor.LastActivityMs}:{cursor.ConversationId}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static InboxCursor? DecodeCursor(string cursor)
    {
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            var colon = text.IndexOf(':');
            if (colon <= 0 || !long.TryParse(text[..colon], out var ms)) return null;
            var id = text[(colon + 1)..];
            return Ids.IsValid(id) ? new InboxCursor(ms, id) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
