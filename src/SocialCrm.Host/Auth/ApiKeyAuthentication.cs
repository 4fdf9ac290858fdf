using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Brands;
using SocialCrm.Abstractions.Security;
using SocialCrm.Grains;
using SocialCrm.Grains.Brands;

namespace SocialCrm.Host.Auth;

/// <summary>Claims carried by an authenticated key.</summary>
public static class ApiKeyClaims
{
    public const string Scheme = "ApiKey";
    public const string Brand = KeyClaims.Brand;
    public const string KeyId = KeyClaims.KeyId;
    public const string Webhook = KeyClaims.Webhook;
    /// <summary>The hash of the key (never the key), for a long request to ask the key's grain again whether it still works.</summary>
    public const string KeyHash = KeyClaims.KeyHash;
    public const string BootstrapRole = "bootstrap";

    /// <summary>The operator, who holds the bootstrap key, as authenticated by the given scheme.</summary>
    public static ClaimsIdentity Operator(string scheme, string name) =>
        new([new Claim(ClaimTypes.Role, BootstrapRole), new Claim(ClaimTypes.Name, name)], scheme);
}

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c>. The bootstrap key is compared by hash in constant time;
/// brand keys are looked up by the hash of the secret in their key grain, which knows at once
/// when a key was revoked.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    BootstrapKey bootstrapKey,
    KnownApiKeys knownKeys,
    SignInThrottle throttle,
    GrainReferences grains) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        var secret = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : "";
        var hash = secret.Length is > 0 and <= 256 ? ApiKeySecrets.Hash(secret) : null;

        // A key this node has seen work costs nothing and is never throttled; any other is paid for from the
        // client's allowance before it is tested (bootstrap key included), and the payment returned if it works.
        var paid = false;
        if (hash is null || !knownKeys.IsIssued(hash))
        {
            if (!throttle.TryTake(Context, out var retryAfter))
            {
                SignInThrottle.MarkThrottled(Context, retryAfter);
                return AuthenticateResult.Fail("Too many failed authentications.");
            }
            paid = true;
        }
        if (hash is null) return AuthenticateResult.Fail("Not a bearer key, or a malformed one.");
        if (bootstrapKey.Matches(hash))
        {
            if (paid) throttle.GiveBack(Context);
            return Success(ApiKeyClaims.Operator(Scheme.Name, "bootstrap"));
        }

        // A key that cannot exist never wakes a grain: guesses would otherwise each cost an activation and a read.
        if (!KnownApiKeys.IsWellFormed(secret) || !await knownKeys.MayExistAsync(hash, Context.RequestAborted)) return AuthenticateResult.Fail("Unknown key.");
        var identity = await grains.Get<IApiKeyGrain>(hash).Authenticate();
        if (identity is null)
        {
            // A revoked key came by the free path: its failure counts like any other.
            if (!paid) throttle.TryTake(Context, out _);
            return AuthenticateResult.Fail("Unknown or revoked key.");
        }
        if (paid) throttle.GiveBack(Context);
        var claims = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Role, WireNames.Of(identity.Role)),
            new Claim(ClaimTypes.Name, identity.Name),
            new Claim(ApiKeyClaims.Brand, identity.BrandId),
            new Claim(ApiKeyClaims.KeyId, identity.KeyId),
            new Claim(ApiKeyClaims.KeyHash, hash),
        ], Scheme.Name);
        if (identity.WebhookId is { } webhookId) claims.AddClaim(new Claim(ApiKeyClaims.Webhook, webhookId));
        return Success(claims);
    }

    private AuthenticateResult Success(ClaimsIdentity identity) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
}

/// <summary>
/// The bootstrap key, known only by its hash: from <c>Auth:BootstrapKey</c>, or generated at first
/// start on the embedded default, its hash kept in the data folder and the key printed once.
/// </summary>
public sealed class BootstrapKey
{
    private byte[]? _hash;

    public bool IsConfigured => _hash is not null;

    public void Use(string secret) => _hash = Convert.FromHexString(ApiKeySecrets.Hash(secret));

    public void UseHash(string hexHash) => _hash = Convert.FromHexString(hexHash);

    public bool Matches(string hexHash)
    {
        var expected = _hash;
        if (expected is null) return false;
        var candidate = Convert.FromHexString(hexHash);
        return CryptographicOperations.FixedTimeEquals(candidate, expected);
    }
}
