using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Automation;

namespace SocialCrm.Grains.Tests.Automation;

/// <summary>Automatic replies written with placeholders: what a template may say and how it renders.</summary>
public sealed class RuleTemplateTests
{
    private static readonly TemplateValues Values = new(
        CustomerName: "Ada Lovelace", BrandName: "Acme", ChannelName: "Acme on Messenger", AgentName: "Grace", ConversationId: "cv_42");

    private static string[] Problems(string template)
    {
        var errors = new FieldErrors();
        RuleTemplates.Validate(template, "actions[0].template", errors);
        return errors.ToDictionary().TryGetValue("actions[0].template", out var messages) ? messages : [];
    }

    [Fact]
    public void Every_placeholder_renders_its_value() =>
        Assert.Equal(
            "Hi Ada (Ada Lovelace), Acme here on Acme on Messenger. Grace will follow up on cv_42.",
            RuleTemplates.Render(
                "Hi {customer.first_name} ({customer.name}), {brand.name} here on {channel.name}. {agent.name} will follow up on {conversation.id}.",
                Values));

    [Fact]
    public void Doubled_braces_are_literal_braces()
    {
        Assert.Empty(Problems("Use {{code}} or }} and {{"));
        Assert.Equal("Use {code} for {customer.first_name}: Ada", RuleTemplates.Render("Use {{code}} for {{customer.first_name}}: {customer.first_name}", Values));
    }

    [Fact]
    public void An_inserted_value_is_never_read_as_a_template()
    {
        var sneaky = Values with { CustomerName = "{brand.name} {{x}}" };

        Assert.Equal("Dear {brand.name} {{x}}, from Acme", RuleTemplates.Render("Dear {customer.name}, from {brand.name}", sneaky));
    }

    [Fact]
    public void A_missing_value_renders_as_nothing_and_the_reply_is_trimmed() =>
        Assert.Equal("Thanks for writing! Acme", RuleTemplates.Render("  {agent.name} Thanks for writing! {brand.name} {customer.name} ", Values with { AgentName = null, CustomerName = "" }));

    [Fact]
    public void The_first_name_is_the_first_word_of_the_name()
    {
        Assert.Equal("Ada", Values.CustomerFirstName);
        Assert.Equal("José", (Values with { CustomerName = "  José María " }).CustomerFirstName);
        Assert.Null((Values with { CustomerName = " " }).CustomerFirstName);
    }

    [Fact]
    public void An_unknown_placeholder_is_refused_and_the_known_ones_listed()
    {
        var problem = Assert.Single(Problems("Hi {customer.email}!"));

        Assert.Equal(
            "has an unknown placeholder at position 3 ({customer.email}); known: {customer.name}, {customer.first_name}, {brand.name}, {channel.name}, {agent.name}, {conversation.id}.",
            problem);
    }

    [Theory]
    [InlineData("Hi {customer.name")]
    [InlineData("Hi customer.name}")]
    [InlineData("Hi {customer.{name}}")]
    [InlineData("Hi {customer.name}}")]
    public void An_unbalanced_brace_is_refused(string template) => Assert.NotEmpty(Problems(template));

    [Theory]
    [InlineData("{ customer.name }")]
    [InlineData("{Customer.Name}")]
    [InlineData("{}")]
    public void A_placeholder_is_spelt_exactly(string template) => Assert.Single(Problems(template));

    [Fact]
    public void An_unknown_placeholder_in_a_template_that_skipped_validation_stays_as_written() =>
        Assert.Equal("Hi {customer.email} and { Ada", RuleTemplates.Render("Hi {customer.email} and { {customer.first_name}", Values));

    [Fact]
    public void A_long_name_is_echoed_in_no_error()
    {
        var problem = Assert.Single(Problems("{" + new string('x', 41) + "}"));

        Assert.DoesNotContain("xxx", problem);
    }

    [Fact]
    public void The_reply_is_cut_at_2000_characters_without_splitting_an_emoji()
    {
        var name = new string('a', 1999) + "🙂🙂";

        var reply = RuleTemplates.Render("{customer.name} and more", Values with { CustomerName = name });

        Assert.Equal(new string('a', 1999), reply);
        Assert.Equal(2000, RuleTemplates.Render("{customer.name}", Values with { CustomerName = new string('b', 5000) }).Length);
    }

    [Fact]
    public void Leading_space_does_not_count_against_the_cap() =>
        Assert.Equal(2000, RuleTemplates.Render(new string(' ', 1500) + "{customer.name}", Values with { CustomerName = new string('c', 2500) }).Length);
}
