using System.Net;
using System.Text.Json;

namespace SocialCrm.Samples.EchoBot.Conversations;

/// <summary>How an API call ended, as far as the bot cares.</summary>
public enum ApiOutcome
{
    Accepted,

    /// <summary>409 <c>not-in-control</c>: humans control the conversation, so the bot stays quiet.</summary>
    NotInControl,

    /// <summary>Any other refusal (window closed, consent, erased, ...): the same call would be refused again.</summary>
    Refused,

    /// <summary>The API was unreachable, overloaded or failing: worth trying again later.</summary>
    Failed,
}

/// <summary>The two calls the bot makes, with its bot key: reply, and pass the conversation to humans.</summary>
public sealed class SocialCrmApi(HttpClient http, ILogger<SocialCrmApi> logger)
{
    private const string ProblemPrefix = "urn:socialcrm:problem:";

    /// <summary>A service reply; <paramref name="clientMessageId"/> makes a repeated call a no-op.</summary>
    public Task<ApiOutcome> ReplyAsync(string brandId, string conversationId, string text, string clientMessageId, CancellationToken cancellationToken) =>
        PostAsync(ConversationPath(brandId, conversationId, "messages"), new { text, purpose = "service", clientMessageId }, cancellationToken);

    public Task<ApiOutcome> PassToHumanAsync(string brandId, string conversationId, CancellationToken cancellationToken) =>
        PostAsync(ConversationPath(brandId, conversationId, "control"), new { action = "pass-to-human" }, cancellationToken);

    private static string ConversationPath(string brandId, string conversationId, string action) =>
        $"v1/brands/{Uri.EscapeDataString(brandId)}/conversations/{Uri.EscapeDataString(conversationId)}/{action}";

    private async Task<ApiOutcome> PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(path, body, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning("POST {Path} failed: {Error}.", path, e.HttpRequestError);
            return ApiOutcome.Failed;
        }
        using (response)
        {
            if (response.IsSuccessStatusCode) return ApiOutcome.Accepted;
            var slug = await ProblemSlugAsync(response, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Conflict && slug == "not-in-control") return ApiOutcome.NotInControl;
            // A wrong key, a timeout, rate limiting and 5xx can all pass: let the service retry.
            var outcome = (int)response.StatusCode is 401 or 408 or 429 or >= 500 ? ApiOutcome.Failed : ApiOutcome.Refused;
            logger.LogWarning("POST {Path} answered {Status} {Problem}.", path, (int)response.StatusCode, slug ?? "(no problem type)");
            return outcome;
        }
    }

    private static async Task<string?> ProblemSlugAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
            return problem.RootElement.TryGetProperty("type", out var type) && type.GetString() is { } uri && uri.StartsWith(ProblemPrefix, StringComparison.Ordinal)
                ? uri[ProblemPrefix.Length..]
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
