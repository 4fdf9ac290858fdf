using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using SocialCrm.Abstractions.Channels;

namespace SocialCrm.Channels.Outbound;

/// <summary>What a refresh came to: a new access token (and the refresh token that replaces the used one), or why not.</summary>
/// <param name="Error">The status and X's error code, never a token.</param>
public sealed record TokenRefresh(string? AccessToken, string? RefreshToken, TimeSpan? ExpiresIn, string? Error)
{
    public bool Refreshed => AccessToken is not null;

    public static TokenRefresh Failed(string error) => new(null, null, null, error);
}

/// <summary>
/// X's OAuth 2.0 refresh (<c>POST 2/oauth2/token</c>, <c>grant_type=refresh_token</c>), HTTP Basic
/// auth with the client id and secret when the client is confidential. X rotates the refresh token
/// on every use: the caller must store the new pair before it uses it, and never refresh twice at once.
/// </summary>
public sealed class XTokenRefresh(HttpClient http, IConfiguration configuration)
{
    /// <summary>Whether the channel holds what a refresh needs.</summary>
    public static bool CanRefresh(ChannelSecrets? secrets) =>
        !string.IsNullOrEmpty(secrets?.RefreshToken) && !string.IsNullOrEmpty(secrets.ClientId);

    public async Task<TokenRefresh> RefreshAsync(ChannelSecrets secrets, CancellationToken cancellationToken)
    {
        if (!CanRefresh(secrets)) return TokenRefresh.Failed("The channel has no refresh token and client id.");
        var url = PlatformCall.BaseUrl(configuration["Platforms:X:ApiBaseUrl"], XSender.DefaultApiBaseUrl) + "/2/oauth2/token";
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = secrets.RefreshToken!,
                ["client_id"] = secrets.ClientId!,
            }),
        };
        if (!string.IsNullOrEmpty(secrets.ClientSecret))
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(secrets.ClientId + ":" + secrets.ClientSecret)));
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var root = Parse(text);
            if (!response.IsSuccessStatusCode)
            {
                var code = root is { } r ? PlatformCall.Field(r, "error") : null;
                return TokenRefresh.Failed($"X answered the refresh with {(int)response.StatusCode}{(code is null ? "" : $" (error {Clip(code)})")}.");
            }
            if (root is not { } answer || PlatformCall.Field(answer, "access_token") is not { Length: > 0 } access)
                return TokenRefresh.Failed($"X answered the refresh with {(int)response.StatusCode} but no access token.");
            TimeSpan? expiresIn = long.TryParse(PlatformCall.Field(answer, "expires_in"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                && seconds is > 0 and < 10 * 365 * 86_400 ? TimeSpan.FromSeconds(seconds) : null;
            return new TokenRefresh(access, PlatformCall.Field(answer, "refresh_token") is { Length: > 0 } rotated ? rotated : null, expiresIn, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return TokenRefresh.Failed($"X could not be reached for the refresh ({ex.GetType().Name}).");
        }
    }

    private static JsonElement? Parse(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // An error code is a short word; anything longer is not one and is not repeated.
    private static string Clip(string code) => code.Length <= 64 && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') ? code : "?";
}
