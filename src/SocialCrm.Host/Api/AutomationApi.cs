using Microsoft.AspNetCore.Http.HttpResults;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Automation;
using SocialCrm.Abstractions.Security;
using SocialCrm.Host.Auth;

namespace SocialCrm.Host.Api;

/// <summary>How a rule's runs ended: carried out, partly refused, or skipped, with the reasons counted.</summary>
public sealed record RuleStats(long Fired, long Failed, long Skipped, long Pending, IReadOnlyDictionary<string, long> Reasons);

public sealed record RuleResponse(string Id, string Name, int Order, bool Enabled, RuleTrigger Trigger, RuleConditions Conditions,
    IReadOnlyList<RuleAction> Actions, RuleStats Stats);

public sealed record RuleListResponse(IReadOnlyList<RuleResponse> Items);

public sealed record RuleTestBody(AutomationRule? Rule, SampleMessage? Message);

/// <summary>Automation rules as data: admins write them, agents read them, anyone who may write one may dry-run it first.</summary>
public static class AutomationApi
{
    public static void MapAutomationApi(this IEndpointRouteBuilder app)
    {
        var rules = app.MapGroup("/v1/brands/{brandId}/automation");
        rules.MapGet("/rules", List).RequireAuthorization(Policies.For(RoleSets.AgentWork));
        rules.MapGet("/rules/{ruleId}", Get).RequireAuthorization(Policies.For(RoleSets.AgentWork)).ProducesProblem(404);
        rules.MapPost("/rules", Create).RequireAuthorization(Policies.For(RoleSets.Administration)).ProducesProblem(409);
        rules.MapPut("/rules/{ruleId}", Replace).RequireAuthorization(Policies.For(RoleSets.Administration));
        rules.MapDelete("/rules/{ruleId}", Delete).RequireAuthorization(Policies.For(RoleSets.Administration)).ProducesProblem(404);
        rules.MapPost("/rules/test", Test).RequireAuthorization(Policies.For(RoleSets.Administration)).ProducesProblem(404);
        rules.MapGet("/settings", Settings).RequireAuthorization(Policies.For(RoleSets.AgentWork));
        rules.MapPut("/settings", SaveSettings).RequireAuthorization(Policies.For(RoleSets.Administration));
    }

    private static async Task<Ok<RuleListResponse>> List(string brandId, IGrainFactory grains)
    {
        var automation = grains.GetGrain<IAutomationGrain>(brandId);
        var (book, counts) = (await automation.Book(), await automation.Counts());
        return TypedResults.Ok(new RuleListResponse(book.Rules.Select(r => Response(r, counts)).ToList()));
    }

    private static async Task<Results<Ok<RuleResponse>, ProblemHttpResult>> Get(string brandId, string ruleId, IGrainFactory grains)
    {
        var automation = grains.GetGrain<IAutomationGrain>(brandId);
        return (await automation.Book()).Rules.FirstOrDefault(r => r.Id == ruleId) is { } rule
            ? TypedResults.Ok(Response(rule, await automation.Counts()))
            : Problems.NotFound("Rule");
    }

    private static async Task<Results<Created<RuleResponse>, ProblemHttpResult, ValidationProblem>> Create(string brandId, AutomationRule? body, IGrainFactory grains)
    {
        if (Invalid(body) is { } problem) return problem;
        var automation = grains.GetGrain<IAutomationGrain>(brandId);
        if ((await automation.Book()).Rules.Any(r => r.Id == body!.Id)) return Problems.Conflict($"A rule '{body!.Id}' exists; PUT replaces it.");
        var saved = await automation.SaveRule(body!);
        return ResultsOf.Map(saved, r => TypedResults.Created($"/v1/brands/{brandId}/automation/rules/{r.Id}", Response(r, [])));
    }

    private static async Task<Results<Ok<RuleResponse>, ProblemHttpResult, ValidationProblem>> Replace(string brandId, string ruleId, AutomationRule? body, IGrainFactory grains)
    {
        var rule = body is null ? null : body with { Id = ruleId };
        if (Invalid(rule) is { } problem) return problem;
        var automation = grains.GetGrain<IAutomationGrain>(brandId);
        var saved = await automation.SaveRule(rule!);
        return ResultsOf.Map(saved, r => TypedResults.Ok(Response(r, [])));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string brandId, string ruleId, IGrainFactory grains) =>
        Ids.IsValid(ruleId) && await grains.GetGrain<IAutomationGrain>(brandId).DeleteRule(ruleId) ? TypedResults.NoContent() : Problems.NotFound("Rule");

    /// <summary>A dry run: which conditions match the sample message and what the rule would do. Nothing is stored or sent.</summary>
    private static async Task<Results<Ok<DryRun>, ProblemHttpResult, ValidationProblem>> Test(string brandId, RuleTestBody? body, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        if (body?.Rule is null) errors.Add("rule", "is required.");
        else RuleValidation.Validate(body.Rule, errors);
        if (body?.Message is not { } message) errors.Add("message", "is required.");
        else
        {
            errors.Optional("message.text", message.Text, InboundApi.MaxTextLength);
            errors.IdFilter("message.channelId", message.ChannelId);
            errors.IdFilter("message.conversationId", message.ConversationId);
            if (message.Visibility is not (null or "public" or "private")) errors.Add("message.visibility", "must be public or private.");
        }
        if (errors.Any) return errors.ToProblem();
        var outcome = await grains.GetGrain<IAutomationGrain>(brandId).Test(body!.Rule!, body.Message!);
        return ResultsOf.Map(outcome, TypedResults.Ok);
    }

    private static async Task<Ok<AutomationSettings>> Settings(string brandId, IGrainFactory grains) =>
        TypedResults.Ok((await grains.GetGrain<IAutomationGrain>(brandId).Book()).Settings);

    private static async Task<Results<Ok<AutomationSettings>, ProblemHttpResult, ValidationProblem>> SaveSettings(string brandId, AutomationSettings? body, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        if (body is null) errors.Add("body", "is required.");
        else RuleValidation.Validate(body, errors);
        if (errors.Any) return errors.ToProblem();
        return ResultsOf.Map(await grains.GetGrain<IAutomationGrain>(brandId).SaveSettings(body!), TypedResults.Ok);
    }

    /// <summary>Every field error at once (the grain checks again, and refuses what this version cannot do).</summary>
    private static ValidationProblem? Invalid(AutomationRule? rule)
    {
        var errors = new FieldErrors();
        if (rule is null) errors.Add("body", "is required.");
        else RuleValidation.Validate(rule, errors);
        return errors.Any ? errors.ToProblem() : null;
    }

    private static RuleResponse Response(AutomationRule r, IReadOnlyList<RuleRunCount> counts)
    {
        var mine = counts.Where(c => c.RuleId == r.Id).ToList();
        long Sum(string status) => mine.Where(c => c.Status == status).Sum(c => c.Count);
        var reasons = mine.Where(c => c.Reason is not null).GroupBy(c => c.Reason!).ToDictionary(g => g.Key, g => g.Sum(c => c.Count));
        return new RuleResponse(r.Id, r.Name, r.Order, r.Enabled, r.Trigger, r.Conditions, r.Actions,
            new RuleStats(Sum(RunStatuses.Fired), Sum(RunStatuses.Failed), Sum(RunStatuses.Skipped), Sum("pending"), reasons));
    }
}
