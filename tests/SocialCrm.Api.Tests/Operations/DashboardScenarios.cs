using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Operations;

/// <summary>
/// The Orleans dashboard lists every grain of the cluster, so every brand's ids: only the operator
/// (the bootstrap key) may open it, by bearer key or through the login form's cookie.
/// </summary>
public sealed class DashboardScenarios(SqliteBackend backend) : IClassFixture<SqliteBackend>
{
    private ServiceHost Node => backend.Node;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_a_key_the_dashboard_is_401_for_tools_and_the_login_page_for_browsers()
    {
        using var anonymous = Browser();
        (await anonymous.GetJson("/dashboard/DashboardCounters")).AssertProblem(HttpStatusCode.Unauthorized, "unauthenticated");

        using var navigation = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        navigation.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
        using var response = await anonymous.SendAsync(navigation, Cancel);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dashboard/login", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("agent")]
    [InlineData("compliance")]
    public async Task A_brand_key_of_any_role_is_forbidden(string role)
    {
        var (brandId, adminKey) = await Node.NewBrandAsync();
        var key = role == "admin" ? adminKey : await Node.NewKeyAsync(brandId, adminKey, role);
        using var client = Node.Client(key);
        (await client.GetJson("/dashboard/")).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        (await client.GetJson("/dashboard/ClusterStats")).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task The_operator_key_opens_the_dashboard_and_its_data()
    {
        using var operatorClient = Node.Client(ServiceHost.BootstrapSecret);
        using var page = await operatorClient.GetAsync("/dashboard/", Cancel);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var counters = await operatorClient.GetJson("/dashboard/DashboardCounters");
        Assert.Equal(HttpStatusCode.OK, counters.Status);
        Assert.NotNull(counters.Body);
    }

    [Fact]
    public async Task The_login_form_issues_a_strict_http_only_cookie_that_opens_only_the_dashboard()
    {
        using var browser = Browser();
        using var signedIn = await SignInAsync(browser, ServiceHost.BootstrapSecret);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal("/dashboard/", signedIn.Headers.Location?.OriginalString);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("socialcrm-operator=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/dashboard", cookie, StringComparison.OrdinalIgnoreCase);

        using var page = await browser.GetAsync("/dashboard/", Cancel);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetJson("/dashboard/DashboardCounters")).Status);

        // The browser would not send it elsewhere; sent anyway, the API does not take it as the operator.
        using var elsewhere = new HttpRequestMessage(HttpMethod.Post, "/v1/brands") { Content = new StringContent("{}", null, "application/json") };
        elsewhere.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var withoutJar = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = Node.ClientOptions.BaseAddress };
        using var refused = await withoutJar.SendAsync(elsewhere, Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_wrong_key_or_a_brand_key_on_the_login_form_is_refused_without_a_cookie()
    {
        var (_, adminKey) = await Node.NewBrandAsync();
        foreach (var key in new[] { "not-the-operator-key", adminKey })
        {
            using var browser = Browser();
            using var refused = await SignInAsync(browser, key);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.False(refused.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("socialcrm-operator=", StringComparison.Ordinal)));
            using var page = await browser.GetAsync("/dashboard/", Cancel);
            Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        }
    }

    [Fact]
    public async Task The_login_form_needs_its_anti_forgery_token()
    {
        using var browser = Browser();
        using var form = new FormUrlEncodedContent([new("key", ServiceHost.BootstrapSecret)]);
        using var response = await browser.PostAsync("/dashboard/login", form, Cancel);
        (await Reply.ReadAsync(response)).AssertProblem(HttpStatusCode.BadRequest, "validation");
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("socialcrm-operator=", StringComparison.Ordinal)));
    }

    /// <summary>A client that keeps cookies and shows redirects instead of following them.</summary>
    private HttpClient Browser() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() }) { BaseAddress = Node.ClientOptions.BaseAddress };

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string key)
    {
        var login = await browser.GetStringAsync("/dashboard/login", Cancel);
        var token = Regex.Match(login, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dashboard/login")
        {
            Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("key", key)]),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        return await browser.SendAsync(request, Cancel);
    }
}
