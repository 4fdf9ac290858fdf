using SocialCrm.Abstractions;

namespace SocialCrm.Grains.Tests.Persistence;

/// <summary>
/// Caller-chosen ids are the contract's <c>[A-Za-z0-9_-]{1,64}</c> and nothing more: in particular not
/// one followed by a line break, which a regex ending in <c>$</c> would let through.
/// </summary>
public sealed class IdValidationTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("abc")]
    [InlineData("brand_1-A")]
    [InlineData("cu_k3xq2")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")] // 64 characters
    public void Ids_of_the_contracts_shape_are_valid(string id) => Assert.True(Ids.IsValid(id), id);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc\n")]
    [InlineData("abc\r\n")]
    [InlineData("\nabc")]
    [InlineData("ab\nc")]
    [InlineData("abc ")]
    [InlineData("a/b")]
    [InlineData("01234567890123456789012345678901234567890123456789012345678901234")] // 65 characters
    public void Anything_else_is_not_a_valid_id(string? id) => Assert.False(Ids.IsValid(id), id);

    [Fact]
    public void Made_ids_are_valid()
    {
        Assert.True(Ids.IsValid(Ids.New("cu")));
        Assert.True(Ids.IsValid(Ids.NewTimeOrdered(Ids.MessagePrefix, DateTimeOffset.UtcNow)));
        Assert.True(Ids.IsValid(Ids.Derived("cv", "a", "b")));
    }
}
