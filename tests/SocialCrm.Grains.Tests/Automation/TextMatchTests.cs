using System.Text;
using SocialCrm.Grains.Automation;

namespace SocialCrm.Grains.Tests.Automation;

/// <summary>Words and phrases found in messages: whole words, any case, any accent, no regular expressions.</summary>
public sealed class TextMatchTests
{
    private static bool Finds(string phrase, string text) => TextMatch.Matches(TextMatch.Compile([phrase]), text);

    [Theory]
    [InlineData("Where is my ORDER?")]
    [InlineData("my órder hasn't come")]
    [InlineData("ORDÉR")]
    [InlineData("order")]
    [InlineData("(order)")]
    [InlineData("ｏｒｄｅｒ #42")]
    public void Order_matches_ORDER_with_an_accent_or_in_full_width(string text) => Assert.True(Finds("order", text));

    [Theory]
    [InlineData("I want to reorder")]
    [InlineData("two orders")]
    [InlineData("border control")]
    [InlineData("ord er")]
    [InlineData("")]
    public void Order_does_not_match_inside_another_word(string text) => Assert.False(Finds("order", text));

    [Fact]
    public void An_accented_phrase_matches_the_plain_word() => Assert.True(Finds("Crème brûlée", "I'd like a creme brulee please"));

    [Theory]
    [InlineData("next day", "Is next-day delivery possible?", true)]
    [InlineData("next day", "next,   day", true)]
    [InlineData("next-day", "next day please", true)]
    [InlineData("next day", "next business day", false)]
    [InlineData("next day", "day next", false)]
    [InlineData("don't", "I DON’T know", true)]
    [InlineData("don't", "I donʼt know", true)]
    public void A_phrase_matches_consecutive_words_whatever_punctuation_lies_between(string phrase, string text, bool expected) =>
        Assert.Equal(expected, Finds(phrase, text));

    [Theory]
    [InlineData("straße", "STRASSE")]
    [InlineData("strasse", "Straße")]
    [InlineData("istanbul", "İSTANBUL")]
    [InlineData("kapali", "KAPALı")]
    [InlineData("λογος", "ΛΌΓΟΣ")]
    [InlineData("заказ", "Где мой ЗАКАЗ?")]
    public void Case_folding_handles_sharp_s_turkish_i_and_final_sigma(string phrase, string text) => Assert.True(Finds(phrase, text));

    [Fact]
    public void Chinese_and_thai_have_no_spaces_so_their_phrases_match_inside_a_sentence()
    {
        Assert.True(Finds("订单", "我的订单在哪里？"));
        Assert.False(Finds("退款", "我的订单在哪里？"));
        Assert.True(Finds("คำสั่งซื้อ", "คำสั่งซื้อของฉันอยู่ที่ไหน"));
    }

    [Fact]
    public void The_words_of_a_text_are_its_runs_of_letters_and_digits_in_normal_form()
    {
        // The degree sign is a symbol; the ordinal indicator º is a small o.
        var words = TextMatch.Tokenize("Ünïcode, ﬁne: route-66 🙂 n°7 nº 8 ①");

        Assert.Equal(["unicode", "fine", "route", "66", "n", "7", "no", "8", "1"], Enumerable.Range(0, words.Count).Select(i => words[i]));
    }

    [Theory]
    [InlineData("pléase\uD800refund me")]
    [InlineData("pléase\uDC00refund\uD800")]
    [InlineData("pléase\uFFFErefund 🙂")]
    public void What_unicode_normalization_refuses_separates_words_rather_than_failing(string text) =>
        Assert.True(Finds("refund", text));

    [Fact]
    public void A_phrase_of_punctuation_alone_is_left_out_and_never_matches()
    {
        var phrases = TextMatch.Compile(["?!", "🙂"]);

        Assert.Equal(0, phrases.Count);
        Assert.False(TextMatch.Matches(phrases, "?! 🙂"));
        Assert.False(phrases.AllIn(TextMatch.Tokenize("?! 🙂")));
    }

    [Fact]
    public void The_same_phrase_written_twice_is_one_phrase()
    {
        var phrases = TextMatch.Compile(["Order", "order", "ÓRDER"]);

        Assert.Equal(["Order"], phrases.Phrases);
        Assert.True(phrases.AllIn(TextMatch.Tokenize("my order")));
    }

    [Fact]
    public void Overlapping_phrases_are_all_found_where_one_starts_inside_another()
    {
        // "b d" starts inside a failed attempt at "a b c": the automaton must fall back, not restart after it.
        var phrases = TextMatch.Compile(["a b c", "b d", "c", "a a b"]);

        Assert.Equal(["b d", "c", "a a b"], phrases.FoundIn(TextMatch.Tokenize("a a a b d c")));
        Assert.Equal(["a b c", "c"], phrases.FoundIn(TextMatch.Tokenize("x a b c")));
    }

    [Fact]
    public void All_needs_every_phrase_and_any_needs_one()
    {
        var phrases = TextMatch.Compile(["refund", "broken screen"]);

        Assert.True(phrases.AnyIn(TextMatch.Tokenize("The screen is broken, I want a refund")));
        Assert.False(phrases.AllIn(TextMatch.Tokenize("The screen is broken, I want a refund")));
        Assert.True(phrases.AllIn(TextMatch.Tokenize("Broken screen! Refund?")));
    }

    [Fact]
    public void A_100k_character_message_is_matched_against_100_phrases_that_nearly_repeat_it()
    {
        // The worst case for naive matching: every phrase is a long run of the message's one word,
        // ending in a word found only at the very end.
        var phrases = Enumerable.Range(0, 100).Select(i => string.Join(' ', Enumerable.Repeat("ha", 90)) + " end" + i).ToList();
        var message = new StringBuilder();
        while (message.Length < 100_000) message.Append("ha ");
        var compiled = TextMatch.Compile(phrases);
        var words = TextMatch.Tokenize(message.ToString());

        Assert.False(compiled.AnyIn(words));
        Assert.Equal([phrases[57]], compiled.FoundIn(TextMatch.Tokenize(message + "end57")));
        Assert.True(compiled.AnyIn(TextMatch.Tokenize(message + " END99.")));
    }

    [Fact]
    public void A_100k_character_message_of_varied_words_finds_the_phrases_it_holds()
    {
        // Words w0..w999 in a cycle: every "wN wN+1" is there, "w3 w2" is not.
        var phrases = Enumerable.Range(0, 99).Select(i => $"w{2 * i} w{2 * i + 1}").Append("w3 w2").ToList();
        var message = string.Join(" ", Enumerable.Range(0, 25_000).Select(i => "W" + i % 1000));
        var compiled = TextMatch.Compile(phrases);
        var words = TextMatch.Tokenize(message);

        Assert.True(message.Length > 100_000);
        Assert.Equal(phrases[..99], compiled.FoundIn(words));
        Assert.False(compiled.AllIn(words));
        Assert.True(compiled.AnyIn(words));
    }
}
