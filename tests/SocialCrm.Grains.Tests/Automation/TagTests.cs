using SocialCrm.Abstractions.Conversations;

namespace SocialCrm.Grains.Tests.Automation;

/// <summary>Conversation tags: one normal form and one rule, whoever writes the tag.</summary>
public sealed class TagTests
{
    [Theory]
    [InlineData("  VIP  Customer ", "vip-customer")]
    [InlineData("Billing:Late", "billing:late")]
    [InlineData("cafe\u0301", "café")]
    [InlineData("ÇAĞRI", "çağri")]
    public void A_tag_is_trimmed_composed_lower_cased_with_dashes_for_spaces(string written, string normal) =>
        Assert.Equal(normal, Tags.Normalize(written));

    [Theory]
    [InlineData("vip")]
    [InlineData("late_delivery.v2")]
    [InlineData("東京")]
    [InlineData("हिन्दी")]
    [InlineData("12345678901234567890123456789012345678901234567890")]
    public void Letters_digits_and_marks_of_any_script_make_a_tag(string tag) => Assert.True(Tags.IsValid(Tags.Normalize(tag)));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("#vip")]
    [InlineData("vip🙂")]
    [InlineData("a/b")]
    [InlineData("\u0301a")]
    [InlineData("123456789012345678901234567890123456789012345678901")]
    public void Anything_else_is_not_a_tag(string tag) => Assert.False(Tags.IsValid(Tags.Normalize(tag)));

    [Theory]
    [InlineData("vip\uD800")]
    [InlineData("vip\uFFFE")]
    public void What_unicode_normalization_refuses_is_refused_rather_than_failing(string tag) => Assert.False(Tags.IsValid(Tags.Normalize(tag)));
}
