using SocialCrm.Abstractions.Security;
using SocialCrm.Abstractions;
using System.Security.Claims;
using SocialCrm.Abstractions.Consent;
using SocialCrm.Abstractions.Customers;
using SocialCrm.Grains.Consent;
using SocialCrm.Host.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using SocialCrm.Grains.Customers;

namespace SocialCrm.Host.Api;

public sealed record IdentityResponse(string Platform, string ExternalUserId);

public sealed record CustomerResponse(
    string Id, string? DisplayName, IReadOnlyList<IdentityResponse> Identities, string? Segment,
    IReadOnlyDictionary<string, double> Metrics, long LoyaltyPoints, IReadOnlyList<string> ConversationIds, DateTimeOffset CreatedAt);

public sealed record ConsentBody(string? Status, string? LawfulBasis, string? Source, string? Evidence, string? PolicyVersion, DateTimeOffset? ExpiresAt);

public sealed record ConsentResponse(string Purpose, string Status, string LawfulBasis, string Source, string? Evidence, string? PolicyVersion,
    DateTimeOffset? ExpiresAt, string RecordedBy, DateTimeOffset RecordedAt, bool Effective)
{
    public static ConsentResponse From(ConsentRecord r, DateTimeOffset now) => new(WireNames.Of(r.Purpose), WireNames.Of(r.Status),
        r.LawfulBasis, r.Source, r.Evidence, r.PolicyVersion, r.ExpiresAt, r.RecordedBy, r.RecordedAt, r.Allows(now));
}

public sealed record CustomerListItem(string Id, DateTimeOffset CreatedAt);

public sealed record CustomerListResponse(IReadOnlyList<CustomerListItem> Items, string? NextCursor);

public sealed record ConsentsResponse(IReadOnlyDictionary<string, ConsentResponse> Current, IReadOnlyList<ConsentResponse> History);

/// <summary>Customer profiles: one person across channels.</summary>
public static class CustomersApi
{
    public static void MapCustomersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/brands/{brandId}/customers")
            .RequireAuthorization(Policies.For(RoleSets.CustomerProfiles));
        group.MapGet("/", List);
        group.MapGet("/{customerId}", Get).ProducesProblem(404).ProducesProblem(410);
        group.MapGet("/{customerId}/consents", Consents).ProducesProblem(404);
        group.MapPut("/{customerId}/consents/{purpose}", RecordConsent).ProducesProblem(404);
    }

    /// <summary>The segments of the contract (<c>insights/segments</c>).</summary>
    private static readonly string[] Segments = ["advocate", "detractor", "helper", "powerUser"];

    private const string CursorPrefix = "customer:";

    private static async Task<Results<Ok<CustomerListResponse>, ValidationProblem>> List(string brandId, string? segment, int? limit,
        string? cursor, CustomerList customers)
    {
        var errors = new FieldErrors();
        var pageSize = limit ?? 50;
        if (pageSize is < 1 or > 200) errors.Add("limit", "must be between 1 and 200.");
        if (segment is not null && !Segments.Contains(segment, StringComparer.Ordinal))
            errors.Add("segment", "must be one of: " + string.Join(", ", Segments) + ".");
        var after = cursor is null ? null : DecodeCursor(cursor);
        if (cursor is not null && after is null) errors.Add("cursor", "is not a cursor this service gave.");
        if (errors.Any) return errors.ToProblem();
        var page = await customers.PageAsync(brandId, segment, after, pageSize);
        return TypedResults.Ok(new CustomerListResponse(page.Items.Select(c => new CustomerListItem(c.Id, c.CreatedAt)).ToList(),
            page.NextAfterId is { } next ? EncodeCursor(next) : null));
    }

    // Opaque to callers, so that a made-up cursor is refused instead of answered with an empty page.
    private static string EncodeCursor(string customerId) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(CursorPrefix + customerId)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? DecodeCursor(string cursor)
    {
        var padded = cursor.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        var bytes = new byte[padded.Length];
        if (!Convert.TryFromBase64String(padded, bytes, out var length)) return null;
        var text = System.Text.Encoding.UTF8.GetString(bytes, 0, length);
        return text.StartsWith(CursorPrefix, StringComparison.Ordinal) && Ids.IsValid(text[CursorPrefix.Length..]) ? text[CursorPrefix.Length..] : null;
    }

    private static async Task<Results<Ok<ConsentsResponse>, ProblemHttpResult, ValidationProblem>> Consents(string brandId, string customerId,
        IGrainFactory grains, TimeProvider clock)
    {
        if (!Ids.IsValid(customerId)) return Problems.NotFound("Customer");
        var outcome = await grains.GetGrain<ICustomerGrain>(Ids.Scoped(brandId, customerId)).Consents();
        var now = clock.GetUtcNow();
        return ResultsOf.Map(outcome, v => TypedResults.Ok(new ConsentsResponse(
            v.Current.ToDictionary(c => WireNames.Of(c.Key), c => ConsentResponse.From(c.Value, now)),
            v.History.Select(r => ConsentResponse.From(r, now)).ToList())));
    }

    private static async Task<Results<Ok<ConsentResponse>, ProblemHttpResult, ValidationProblem>> RecordConsent(string brandId, string customerId, string purpose, ConsentBody? body,
        ClaimsPrincipal user, IGrainFactory grains, TimeProvider clock)
    {
        var errors = new FieldErrors();
        var parsedPurpose = errors.Enum<Purpose>("purpose", purpose);
        var status = errors.Enum<ConsentStatus>("status", body?.Status);
        if (status == ConsentStatus.Unknown && body?.Status is not null) errors.Add("status", "must be granted or withdrawn.");
        var basis = errors.Required("lawfulBasis", body?.LawfulBasis, 64);
        if (basis is not null && !LawfulBasis.IsKnown(basis)) errors.Add("lawfulBasis", LawfulBasis.Refusal);
        var source = errors.RequiredLine("source", body?.Source, 200);
        var evidence = errors.OptionalLine("evidence", body?.Evidence, 4000);
        var policyVersion = errors.OptionalLine("policyVersion", body?.PolicyVersion, 64);
        if (body?.ExpiresAt is { } expires && expires <= clock.GetUtcNow()) errors.Add("expiresAt", "must be in the future.");
        if (errors.Any) return errors.ToProblem();
        if (!Ids.IsValid(customerId)) return Problems.NotFound("Customer");

        var recordedBy = user.FindFirst(ClaimTypes.Name)?.Value ?? "unknown";
        var outcome = await grains.GetGrain<ICustomerGrain>(Ids.Scoped(brandId, customerId)).RecordConsent(
            new ConsentChange(parsedPurpose, status, basis!, source!, evidence, policyVersion, body!.ExpiresAt, recordedBy));
        return ResultsOf.Map(outcome, r => TypedResults.Ok(ConsentResponse.From(r, clock.GetUtcNow())));
    }

    private static async Task<Results<Ok<CustomerResponse>, ProblemHttpResult, ValidationProblem>> Get(string brandId, string customerId,
        IGrainFactory grains)
    {
        if (!Ids.IsValid(customerId)) return Problems.NotFound("Customer");
        var outcome = await grains.GetGrain<ICustomerGrain>(Ids.Scoped(brandId, customerId)).Get();
        return ResultsOf.Map(outcome, c => TypedResults.Ok(new CustomerResponse(
            c.Id, c.DisplayName,
            c.Identities.Select(i => new IdentityResponse(WireNames.Of(i.Platform), i.ExternalUserId)).ToList(),
            Segment: null, new Dictionary<string, double>(), 0, c.ConversationIds, c.CreatedAt)));
    }
}
