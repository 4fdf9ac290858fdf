using SocialCrm.Host.Api;

namespace SocialCrm.Api.Tests.Api;

/// <summary>
/// The consent report's CSV cells: quoted as RFC 4180 asks, and a cell a spreadsheet would read as a
/// formula (OWASP's leading characters, tab and carriage return included) is made text with a leading quote.
/// </summary>
public sealed class CsvCellTests
{
    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=1+2", "'\t=1+2")]
    [InlineData("\r=1+2", "\"'\r=1+2\"")]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")]
    public void A_cell_a_spreadsheet_would_read_as_a_formula_is_made_text(string value, string cell) =>
        Assert.Equal(cell, PrivacyApi.Csv(value));

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("webchat", "webchat")]
    [InlineData("opt-in form", "opt-in form")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"yes\"", "\"say \"\"yes\"\"\"")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    [InlineData("2026-01-02T03:04:05.0000000+00:00", "2026-01-02T03:04:05.0000000+00:00")]
    public void Other_cells_are_kept_and_quoted_only_where_needed(string? value, string cell) =>
        Assert.Equal(cell, PrivacyApi.Csv(value));
}
