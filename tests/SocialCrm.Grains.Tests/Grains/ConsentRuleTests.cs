using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Consent;
using SocialCrm.Grains.Consent;

namespace SocialCrm.Grains.Tests.Grains;

/// <summary>The consent rules without a cluster: which lawful bases are recorded, and when consent is in effect.</summary>
public sealed class ConsentRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("consent")]
    [InlineData("contract")]
    [InlineData("legal_obligation")]
    [InlineData("vital_interests")]
    [InlineData("public_task")]
    [InlineData("legitimate_interests")]
    public void The_six_bases_of_article_6_are_lawful(string basis) => Assert.True(LawfulBasis.IsKnown(basis));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Consent")]
    [InlineData("because")]
    [InlineData("consent ")]
    public void Anything_else_is_not_a_lawful_basis(string? basis) => Assert.False(LawfulBasis.IsKnown(basis));

    [Fact]
    public void The_refusal_names_every_basis() =>
        Assert.Equal("must be one of: consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests.", LawfulBasis.Refusal);

    [Fact]
    public void A_grant_without_expiry_is_in_effect() => Assert.True(ConsentInEffect.At(ConsentStatus.Granted, null, Now));

    [Fact]
    public void A_grant_is_in_effect_until_it_expires_and_not_at_its_expiry()
    {
        Assert.True(ConsentInEffect.At(ConsentStatus.Granted, Now.AddTicks(1), Now));
        Assert.False(ConsentInEffect.At(ConsentStatus.Granted, Now, Now));
        Assert.False(ConsentInEffect.At(ConsentStatus.Granted, Now.AddDays(-1), Now));
    }

    [Theory]
    [InlineData(ConsentStatus.Withdrawn)]
    [InlineData(ConsentStatus.Unknown)]
    public void Withdrawn_or_unknown_consent_is_never_in_effect(ConsentStatus status)
    {
        Assert.False(ConsentInEffect.At(status, null, Now));
        Assert.False(ConsentInEffect.At(status, Now.AddDays(1), Now));
    }

    [Fact]
    public void A_recorded_grant_allows_exactly_when_the_rule_says_so()
    {
        var record = new ConsentRecord(Purpose.Marketing, ConsentStatus.Granted, "consent", "agent", null, null, Now.AddHours(1), "agent-1", Now);
        Assert.True(record.Allows(Now));
        Assert.False(record.Allows(Now.AddHours(1)));
    }
}
