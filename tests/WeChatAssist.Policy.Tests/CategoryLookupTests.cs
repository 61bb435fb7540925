namespace WeChatAssist.Policy.Tests;

public class CategoryLookupTests
{
    private static readonly Lazy<ResidentWords> Words = new(() =>
        ResidentWords.LoadFile(Path.Combine(Shipped.RepoRoot(), "localization", "residents-words.zh-Hans.yaml")));

    [Theory]
    [InlineData("pengshui-2024", "tekun", "tekun")]
    [InlineData("pengshui-2024", "特困人员（含城乡孤儿、事实无人抚养儿童）", "tekun")]
    [InlineData("pengshui-2024", "特困人员(含城乡孤儿、事实无人抚养儿童)", "tekun")]
    [InlineData("pengshui-2024", "特困人员", "tekun")]
    [InlineData("pengshui-2024", "特困人员（含城乡孤儿、事实   无人抚养儿童）", "tekun")]
    [InlineData("pengshui-2024", "城乡最低生活保障人员", "dibao")]
    [InlineData("pengshui-2024", "城乡低保对象", "dibao")]
    [InlineData("pengshui-2024", "城乡重度1—2级残疾人员", "zhongcan")]
    [InlineData("pengshui-2024", "城乡重度1-2级残疾人员", "zhongcan")]
    [InlineData("pengshui-2024", "重点优抚对象", "zhongdian-youfu")]
    [InlineData("pengshui-2024", "计生优抚（奖扶）对象", "jisheng-youfu")]
    [InlineData("pengshui-2024", "计生残抚（特扶）人员", "jisheng-canfu")]
    [InlineData("wenxi-2024", "农村特困供养人员", "tekun")]
    [InlineData("wenxi-2024", "城镇特困供养人员", "tekun")]
    [InlineData("wenxi-2024", "孤儿", "tekun")]
    [InlineData("wenxi-2024", "事实无人抚养儿童", "tekun")]
    [InlineData("wenxi-2024", "农村低保家庭成员", "dibao")]
    [InlineData("wenxi-2024", "城镇低保家庭成员", "dibao")]
    [InlineData("wenxi-2024", "低保边缘家庭成员", "dishouru-laoshao")]
    [InlineData("wenxi-2024", "返贫致贫人口", "fanpin-zhipin")]
    [InlineData("wenxi-2024", "脱贫不稳定人口", "yi-fanpin")]
    [InlineData("wenxi-2024", "边缘易致贫人口", "yi-fanpin")]
    [InlineData("wenxi-2024", "易返贫致贫人口", "yi-fanpin")]
    [InlineData("wenxi-2024", "突发严重困难人口", "tufa-kunnan")]
    [InlineData("wenxi-2024", "丧失劳动能力的残疾人员", "canji")]
    [InlineData("wenxi-2024", "特困人员（含孤儿和事实无人抚养儿童）", "tekun")]
    [InlineData("suiping-2025", "计生户", "jishenghu")]
    [InlineData("suiping-2025", "监测人员（风险未消除）", "jiance-weixiaochu")]
    [InlineData("suiping-2025", "监测对象（风险未消除）", "jiance-weixiaochu")]
    [InlineData("suiping-2025", "监测对象(风险已消除)", "jiance-yixiaochu")]
    [InlineData("suiping-2025", "监测对象", "jiance")]
    [InlineData("suiping-2025", "监测人员", "jiance")]
    [InlineData("suiping-2025", "孤儿", "guer")]
    [InlineData("dianjiang-xinmin-2024", "建档立卡贫困人员", "jiandang-pinkun")]
    public void The_notices_own_wording_finds_the_category(string policy, string text, string code)
        => Assert.Equal(code, Shipped.Get(policy).FindCategory(text)?.Code);

    [Theory]
    [InlineData("pengshui-2024", "艾滋病患者")]
    [InlineData("wenxi-2024", "低保边缘户")]
    [InlineData("suiping-2025", "低保边缘户")]
    [InlineData("dianjiang-xinmin-2024", "低保边缘户")]
    public void A_category_another_county_has_is_not_found(string policy, string text)
        => Assert.Null(Shipped.Get(policy).FindCategory(text));

    [Theory]
    [InlineData("pengshui-2024", "五保户", "tekun")]
    [InlineData("wenxi-2024", "五保户", "tekun")]
    [InlineData("suiping-2025", "五保户", "tekun")]
    [InlineData("dianjiang-xinmin-2024", "五保户", "tekun")]
    [InlineData("pengshui-2024", "低保户", "dibao")]
    [InlineData("suiping-2025", "低保户", "dibao")]
    [InlineData("wenxi-2024", "低保户", "dibao")]
    [InlineData("suiping-2025", "建档立卡户", "tuopin")]
    [InlineData("pengshui-2024", "建档立卡户", "tuopin")]
    [InlineData("wenxi-2024", "建档立卡户", "tuopin")]
    [InlineData("dianjiang-xinmin-2024", "建档立卡户", "jiandang-pinkun")]
    [InlineData("suiping-2025", "残疾证一级", "zhongcan")]
    [InlineData("pengshui-2024", "残疾证二级", "zhongcan")]
    [InlineData("dianjiang-xinmin-2024", "残疾证一级", "zhongcan")]
    [InlineData("pengshui-2024", "烈属", "zhongdian-youfu")]
    [InlineData("suiping-2025", "双女户", "jishenghu")]
    [InlineData("pengshui-2024", "残疾一二级", "zhongcan")]
    [InlineData("wenxi-2024", "严重困难", "tufa-kunnan")]
    public void Everyday_words_from_localization_resolve_per_county(string policy, string word, string code)
        => Assert.Equal(code, Words.Value.Resolve(Shipped.Get(policy), word)?.Code);

    [Theory]
    [InlineData("wenxi-2024", "残疾证一级")]
    [InlineData("wenxi-2024", "监测户")]
    [InlineData("pengshui-2024", "艾滋病")]
    public void Everyday_words_never_borrow_another_countys_category(string policy, string word)
        => Assert.Null(Words.Value.Resolve(Shipped.Get(policy), word));

    [Fact]
    public void Every_everyday_word_resolves_in_at_least_one_county()
    {
        foreach (var word in Words.Value.Words.Keys)
        {
            Assert.True(Shipped.Catalog.All.Any(p => Words.Value.Resolve(p, word) is not null), $"'{word}' resolves nowhere");
        }
    }

    [Fact]
    public void Every_group_of_every_notice_is_reached_by_an_everyday_word_or_is_a_kind_of_one_decided_by_a_condition()
    {
        foreach (var policy in Shipped.Catalog.All)
        {
            var reached = Words.Value.Words.Keys.Select(w => Words.Value.Resolve(policy, w)?.Code).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var category in policy.Categories)
            {
                // 002's 监测对象（风险未消除/已消除）: reached as 监测对象, the risk asked (a condition, not a word).
                var kindOfReached = reached.Any(code => category.Code.StartsWith(code + "-", StringComparison.Ordinal));
                Assert.True(reached.Contains(category.Code) || kindOfReached, $"{policy.Id}: no everyday word reaches {category.Name}");
            }
        }
    }

    [Fact]
    public void A_word_listed_twice_is_rejected()
    {
        var ex = Assert.Throws<PolicyLoadException>(() => ResidentWords.Load(new StringReader("words:\n  低保户: [低保对象]\n  低保户: [低保对象]\n"), "w.yaml"));
        Assert.Equal("w.yaml", ex.FileName);
    }
}
