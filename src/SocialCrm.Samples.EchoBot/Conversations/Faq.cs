using System.Text.RegularExpressions;

namespace SocialCrm.Samples.EchoBot.Conversations;

/// <summary>The questions the bot can answer, each recognised by whole words of the customer's message.</summary>
public static class Faq
{
    private sealed record Entry(string Topic, Regex Keywords, string Answer);

    // First match wins, so more specific topics come first.
    private static readonly Entry[] Entries =
    [
        New("hours", ["hours", "open", "opening", "closed", "closing"],
            "We're open Monday to Friday, 9:00 to 18:00, and Saturday 10:00 to 14:00."),
        New("shipping", ["shipping", "ship", "shipped", "delivery", "deliver", "parcel", "tracking"],
            "Orders ship within one working day; delivery takes 2 to 4 working days."),
        New("returns", ["return", "returns", "returning", "refund", "refunds", "exchange"],
            "You can return anything within 30 days for a full refund; the return label is in your parcel."),
        New("price", ["price", "prices", "pricing", "cost", "costs", "how much"],
            "Prices are on each product page and include VAT; shipping is free above 50 EUR."),
    ];

    /// <summary>The answer to the first topic the text mentions, or null.</summary>
    public static (string Topic, string Answer)? Match(string text) =>
        Entries.FirstOrDefault(e => e.Keywords.IsMatch(text)) is { } entry ? (entry.Topic, entry.Answer) : null;

    private static Entry New(string topic, string[] keywords, string answer) =>
        new(topic, WholeWords(keywords), answer);

    /// <summary>Any of the words, case-insensitive, never as part of a longer word ("open" is not "opener").</summary>
    internal static Regex WholeWords(params string[] words) =>
        new($@"\b(?:{string.Join('|', words.Select(w => Regex.Escape(w).Replace(@"\ ", @"\s+")))})\b",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromMilliseconds(100));
}
