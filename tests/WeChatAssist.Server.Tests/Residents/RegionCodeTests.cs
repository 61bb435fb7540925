using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Tests.Residents;

public sealed class RegionCodeTests
{
    [Theory]
    [InlineData("500243", true)] // 彭水, served
    [InlineData("500231", true)] // 垫江, served
    [InlineData("411728", true)] // 遂平, served
    [InlineData("140823", true)] // 闻喜, served
    [InlineData("500232", true)] // 武隆县, abolished in 2016: numbers issued before keep it
    [InlineData("500234", true)] // 开县, likewise
    [InlineData("110103", true)] // 崇文区, abolished in 2010
    [InlineData("500156", true)] // 武隆区, its successor
    [InlineData("441900", true)] // 东莞市 has no counties: numbers carry the city's code
    [InlineData("810000", true)] // residence permit of a 香港 resident
    [InlineData("830000", true)] // residence permit of a 台湾 resident
    [InlineData("500299", false)] // 重庆 never had it
    [InlineData("140899", false)]
    [InlineData("500000", false)] // a province is not a place of registration
    [InlineData("990101", false)]
    public void A_number_starts_with_a_known_gb_t_2260_code_current_or_abolished(string region, bool known)
    {
        var first17 = region + "19800101" + "123";
        var number = first17 + ResidentIdNumber.CheckCharacter(first17);

        var parsed = ResidentIdNumber.TryParse(number, new DateOnly(2023, 11, 15), out _, out var error);

        Assert.Equal(known, parsed);
        Assert.Equal(known ? IdNumberError.None : IdNumberError.UnknownRegion, error);
    }

    [Fact]
    public void The_list_covers_every_county_level_code_not_a_sample()
    {
        var count = File.ReadLines(Path.Combine(FindServerFolder(), "Residents", "regions.txt")).Count(l => !l.StartsWith('#'));

        Assert.InRange(count, 6500, 9000);
    }

    private static string FindServerFolder()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "WeChatAssist.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory!.FullName, "src", "WeChatAssist.Server");
    }
}
