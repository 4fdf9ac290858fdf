using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SocialCrm.Channels.Outbound;

/// <summary>
/// One call to a platform's API on the channel's behalf: a JSON body under the channel's bearer
/// token, its answer sorted into sent, worth retrying (throttled, timed out, the platform's own
/// trouble) or refused for good (a bad token, a user who cannot be reached). The error kept on the
/// message names the status and the platform's error code, never the text or the token.
/// </summary>
internal static class PlatformCall
{
    public static string BaseUrl(string? configured, string fallback) =>
        (string.IsNullOrWhiteSpace(configured) ? fallback : configured).TrimEnd('/');

    public static string Segment(string id) => Uri.EscapeDataString(id);

    public static async Task<DeliveryResult> PostAsync(HttpClient http, string platform, string url, string token, JsonObject body,
        Func<JsonElement, string?> readId, Func<JsonElement, (string? Code, bool Transient)> readError, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode) return DeliveryResult.SentAs(await ReadAsync(response, readId, cancellationToken));
            var status = (int)response.StatusCode;
            var (code, transient) = await ReadAsync(response, readError, cancellationToken);
            transient |= response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || status >= 500;
            var error = $"{platform} answered {status}{(code is null ? "" : $" (error {code})")}.";
            return DeliveryResult.Failed(error, permanent: !transient);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return DeliveryResult.Failed($"{platform} could not be reached ({ex.GetType().Name}).");
        }
    }

    /// <summary>What the answer's JSON says (the message's id, or the error), or the default when it is not JSON.</summary>
    private static async Task<T?> ReadAsync<T>(HttpResponseMessage response, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            using var document = JsonDocument.Parse(text);
            return read(document.RootElement);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>A string or number property, as text.</summary>
    public static string? Field(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
