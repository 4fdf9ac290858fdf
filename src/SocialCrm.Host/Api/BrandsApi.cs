using Microsoft.AspNetCore.Http.HttpResults;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Brands;
using SocialCrm.Abstractions.Security;
using SocialCrm.Host.Auth;

namespace SocialCrm.Host.Api;

public sealed record CreateBrandRequest(string? Id, string? Name);

public sealed record BrandCreatedResponse(string Id, string Name, string AdminKey);

public sealed record CreateApiKeyRequest(string? Name, string? Role, string? WebhookId);

public sealed record ApiKeyResponse(string Id, string Name, string Role, string? Key, DateTimeOffset? CreatedAt = null, DateTimeOffset? RevokedAt = null);

/// <summary>Brands and their API keys.</summary>
public static class BrandsApi
{
    public static void MapBrandsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/brands", CreateBrand).RequireAuthorization(Policies.Bootstrap).ProducesProblem(409);

        var keys = app.MapGroup("/v1/brands/{brandId}/api-keys").RequireAuthorization(Policies.For(RoleSets.Administration));
        keys.MapPost("/", CreateKey);
        keys.MapGet("/", ListKeys);
        keys.MapDelete("/{keyId}", RevokeKey).ProducesProblem(404);
    }

    private static async Task<Results<Created<BrandCreatedResponse>, ProblemHttpResult, ValidationProblem>> CreateBrand(CreateBrandRequest? body, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var id = errors.Id("id", body?.Id);
        var name = errors.RequiredLine("name", body?.Name, 200);
        if (errors.Any) return errors.ToProblem();
        // The bootstrap key acts for the brand it creates, and for nothing else.
        BrandContext.Set(id!);
        ActorContext.Set("bootstrap");
        var outcome = await grains.GetGrain<IBrandGrain>(id!).Create(name!);
        return ResultsOf.Map(outcome, key => TypedResults.Created($"/v1/brands/{id}", new BrandCreatedResponse(id!, name!, key.Key)));
    }

    private static async Task<Results<Created<ApiKeyResponse>, ProblemHttpResult, ValidationProblem>> CreateKey(string brandId, CreateApiKeyRequest? body, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var role = AdminRules.ApiKey(errors, body?.Name, body?.Role, body?.WebhookId);
        if (errors.Any) return errors.ToProblem();
        var outcome = await grains.GetGrain<IBrandGrain>(brandId).IssueKey(body!.Name!, role, body.WebhookId);
        return ResultsOf.Map(outcome, key => TypedResults.Created($"/v1/brands/{brandId}/api-keys/{key.Id}",
            new ApiKeyResponse(key.Id, key.Name, WireNames.Of(key.Role), key.Key, key.CreatedAt)));
    }

    private static async Task<Ok<IEnumerable<ApiKeyResponse>>> ListKeys(string brandId, IGrainFactory grains)
    {
        var keys = await grains.GetGrain<IBrandGrain>(brandId).ListKeys();
        return TypedResults.Ok(keys.Select(k => new ApiKeyResponse(k.Id, k.Name, WireNames.Of(k.Role), null, k.CreatedAt, k.RevokedAt)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> RevokeKey(string brandId, string keyId, IGrainFactory grains)
    {
        var outcome = await grains.GetGrain<IBrandGrain>(brandId).RevokeKey(keyId);
        return ResultsOf.Map(outcome, _ => TypedResults.NoContent());
    }
}
