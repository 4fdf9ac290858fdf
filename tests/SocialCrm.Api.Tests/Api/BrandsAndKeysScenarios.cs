using System.Net;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Api;

/// <summary>Brands, their keys and the refusal of keys that are unknown, revoked or of another brand.</summary>
public abstract class BrandsAndKeysScenarios<TBackend>(TBackend backend) where TBackend : Backend
{
    private ServiceHost Node => backend.Node;

    [Fact]
    public async Task A_brand_is_created_with_the_bootstrap_key_and_its_id_cannot_be_taken_twice()
    {
        var (brandId, adminKey) = await Node.NewBrandAsync();
        Assert.StartsWith("sck_", adminKey);

        using var bootstrap = Node.Client(ServiceHost.BootstrapSecret);
        (await bootstrap.PostJson("/v1/brands", new { id = brandId, name = "Again" })).AssertProblem(HttpStatusCode.Conflict, "conflict");
    }

    [Fact]
    public async Task Creating_a_brand_needs_the_bootstrap_key()
    {
        var (_, adminKey) = await Node.NewBrandAsync();
        using var anonymous = Node.Client();
        (await anonymous.PostJson("/v1/brands", new { id = TestIds.New("b"), name = "X" })).AssertProblem(HttpStatusCode.Unauthorized, "unauthenticated");
        using var wrong = Node.Client("sck_not-a-real-key");
        (await wrong.PostJson("/v1/brands", new { id = TestIds.New("b"), name = "X" })).AssertProblem(HttpStatusCode.Unauthorized, "unauthenticated");
        using var admin = Node.Client(adminKey);
        (await admin.PostJson("/v1/brands", new { id = TestIds.New("b"), name = "X" })).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task A_bad_brand_id_is_a_validation_problem_naming_the_field()
    {
        using var bootstrap = Node.Client(ServiceHost.BootstrapSecret);
        var reply = (await bootstrap.PostJson("/v1/brands", new { id = "no spaces/allowed", name = "" }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(reply.Body!["errors"]!["id"]);
        Assert.NotNull(reply.Body!["errors"]!["name"]);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("agent")]
    [InlineData("bot")]
    [InlineData("ingest")]
    [InlineData("compliance")]
    public async Task An_admin_issues_keys_of_every_role_and_each_key_is_shown_once(string role)
    {
        var (brandId, adminKey) = await Node.NewBrandAsync();
        var key = await Node.NewKeyAsync(brandId, adminKey, role);
        using var admin = Node.Client(adminKey);
        var listed = await admin.GetJson($"/v1/brands/{brandId}/api-keys");
        Assert.Equal(HttpStatusCode.OK, listed.Status);
        Assert.DoesNotContain(key, listed.Raw);
        Assert.Contains($"\"role\":\"{role}\"", listed.Raw);
    }

    [Fact]
    public async Task An_unknown_role_is_refused()
    {
        var (brandId, adminKey) = await Node.NewBrandAsync();
        using var admin = Node.Client(adminKey);
        var reply = (await admin.PostJson($"/v1/brands/{brandId}/api-keys", new { name = "x", role = "superuser" }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(reply.Body!["errors"]!["role"]);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var created = await admin.PostJson(setup.Path("api-keys"), new { name = "agent-1", role = "agent" });
        var key = created.Str("key");
        using var agent = Node.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetJson(setup.Path("conversations"))).Status);

        var revoked = await admin.Delete(setup.Path("api-keys/" + created.Str("id")));
        Assert.Equal(HttpStatusCode.NoContent, revoked.Status);
        (await agent.GetJson(setup.Path("conversations"))).AssertProblem(HttpStatusCode.Unauthorized, "unauthenticated");
        (await admin.Delete(setup.Path("api-keys/key_unknown"))).AssertProblem(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_key_of_one_brand_finds_nothing_of_another()
    {
        var a = await Node.NewBrandWithChannelAsync();
        var b = await Node.NewBrandWithChannelAsync();
        using var adminA = a.Admin();
        var accepted = await adminA.PostJson(a.InboundPath, BrandSetup.Inbound("m-1", "u-1", "private words of brand A"));
        var conversationId = accepted.Str("conversationId");

        using var adminB = b.Admin();
        (await adminB.GetJson($"/v1/brands/{a.BrandId}/conversations")).AssertProblem(HttpStatusCode.NotFound, "not-found");
        (await adminB.GetJson($"/v1/brands/{a.BrandId}/conversations/{conversationId}")).AssertProblem(HttpStatusCode.NotFound, "not-found");
        (await adminB.GetJson($"/v1/brands/{b.BrandId}/conversations/{conversationId}")).AssertProblem(HttpStatusCode.NotFound, "not-found");
        (await adminB.GetJson($"/v1/brands/{b.BrandId}/conversations/{conversationId}/messages")).AssertProblem(HttpStatusCode.NotFound, "not-found");
        (await adminB.PostJson($"/v1/brands/{a.BrandId}/channels/{a.ChannelId}/inbound", BrandSetup.Inbound("m-2", "u-1", "x")))
            .AssertProblem(HttpStatusCode.NotFound, "not-found");
        var inboxB = await adminB.GetJson($"/v1/brands/{b.BrandId}/conversations");
        Assert.DoesNotContain(conversationId, inboxB.Raw);
    }
}

[Trait("Backend", "sqlite")]
public sealed class BrandsAndKeysOnSqlite(SqliteBackend backend) : BrandsAndKeysScenarios<SqliteBackend>(backend), IClassFixture<SqliteBackend>;

[Trait("Backend", "postgres")]
public sealed class BrandsAndKeysOnPostgres(PostgresBackend backend) : BrandsAndKeysScenarios<PostgresBackend>(backend), IClassFixture<PostgresBackend>;

[Trait("Backend", "sqlserver")]
public sealed class BrandsAndKeysOnSqlServer(SqlServerBackend backend) : BrandsAndKeysScenarios<SqlServerBackend>(backend), IClassFixture<SqlServerBackend>;
