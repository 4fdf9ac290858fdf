using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SocialCrm.Abstractions;

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

    /// <summary>Nothing to send with: refused for good until an admin gives the channel a token.</summary>
    public static Task<DeliveryResult> NoAccessToken(Platform platform) =>
        Task.FromResult(DeliveryResult.Failed($"The {WireNames.Of(platform)} channel has no access token to send with.", permanent: true));

    /// <summary>No one to address a private message to: refused for good.</summary>
    public static string NoRecipient(Platform platform) =>
        $"The customer has no {WireNames.Of(platform)} id to write to (erased, or never wrote there).";

    public static async Task<DeliveryResult> PostAsync(HttpClient http, string platform, string url, string token, JsonObject body,
        Func<JsonElement, DeliveryResult> readSent, Func<JsonElement, (string? Code, bool Transient)> readError, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            // Taken: whatever its answer holds, the message must never be sent again.
            if (response.IsSuccessStatusCode) return await ReadAsync(response, readSent, cancellationToken) ?? DeliveryResult.Sent;
            var status = (int)response.StatusCode;
            var (code, transient) = await ReadAsync(response, readError, cancellationToken);
            transient |= response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || status >= 500;
            var error = $"{platform} answered {status}{(code is null ? "" : $" (error {code})")}.";
            return DeliveryResult.Failed(error, permanent: !transient) with { TokenRejected = response.StatusCode == HttpStatusCode.Unauthorized };
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return DeliveryResult.Failed($"{platform} could not be reached ({ex.GetType().Name}).");
        }
    }

    /// <summary>What the answer's JSON says (the message's ids, or the error); the default when it cannot be read as expected.</summary>
    private static async Task<T?> ReadAsync<T>(HttpResponseMessage response, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            using var document = JsonDocument.Parse(text);
            return read(document.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or HttpRequestException or TaskCanceledException)
        {
            return default;
        }
    }

    /// <summary>The property's value when the element is an object that has it.</summary>
    public static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : null;

    /// <summary>A string or number property, as text; without NUL characters, which PostgreSQL cannot store.</summary>
    public static string? Field(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()?.Replace("\0", "", StringComparison.Ordinal),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
