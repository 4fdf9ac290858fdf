using SocialCrm.Web.Conversations;
using SocialCrm.Web.Inbox;

namespace SocialCrm.Api.Tests.WebConsole;

/// <summary>How the console words triage: history lines of tag, priority and team changes, and unread counts at the cap.</summary>
public sealed class ConsoleTriageTextTests
{
    [Fact]
    public void A_rule_run_says_what_the_rule_did_and_what_it_was_refused()
    {
        Assert.Equal("Rule 'Where is my order' replied, assigned to team logistics",
            ConversationEventText.Of("automation-ran", """{"ruleName":"Where is my order","did":["replied","assigned to team logistics"],"refused":[]}""").Text);
        Assert.Equal("Rule 'Promo' did nothing; refused: reply: consent-required",
            ConversationEventText.Of("automation-fired", """{"ruleName":"Promo","did":[],"refused":["reply: consent-required"]}""").Text);
    }
    [Fact]
    public void A_tags_change_names_who_added_and_removed_which()
    {
        Assert.Equal("ann added late-delivery, removed vip",
            ConversationEventText.Of("tags-changed", """{"added":["late-delivery"],"removed":["vip"],"by":"ann"}""").Text);
        Assert.Equal("ann added a, b", ConversationEventText.Of("tags-changed", """{"added":["a","b"],"removed":[],"by":"ann"}""").Text);
        Assert.Equal("Someone removed x", ConversationEventText.Of("tags-changed", """{"added":[],"removed":["x"]}""").Text);
    }

    [Fact]
    public void Priority_and_team_changes_read_as_words_with_the_team_by_its_name()
    {
        Assert.Equal("sam set the priority to urgent (was normal)",
            ConversationEventText.Of("priority-changed", """{"from":"normal","to":"urgent","by":"sam"}""").Text);
        Func<string, string> names = id => id == "logistics" ? "Logistics" : id;
        Assert.Equal("sam handed it to team Logistics", ConversationEventText.Of("team-changed", """{"from":null,"to":"logistics","by":"sam"}""", names).Text);
        Assert.Equal("sam took it from team Logistics", ConversationEventText.Of("team-changed", """{"from":"logistics","to":null,"by":"sam"}""", names).Text);
        Assert.Equal("sam moved it from team Logistics to team gone", ConversationEventText.Of("team-changed", """{"from":"logistics","to":"gone","by":"sam"}""", names).Text);
    }

    [Fact]
    public void Data_that_is_not_what_was_written_still_gives_a_line()
    {
        Assert.Equal("Someone changed the tags", ConversationEventText.Of("tags-changed", "not json").Text);
        Assert.Equal("Someone set the priority to ? (was ?)", ConversationEventText.Of("priority-changed", null).Text);
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(2, "2")]
    [InlineData(9_999, "9,999")]
    [InlineData(10_000, "10,000+")]
    public void An_unread_count_at_the_cap_reads_as_at_least(long count, string shown) =>
        Assert.Equal(shown, InboxPage.CountText(count));
}
