using WeChatAssist.Policy;
using WeChatAssist.Server.Chat.Understanding;

namespace WeChatAssist.Server.Tests.Chat;

public sealed class UnderstandingTests
{
    private static readonly ChatUnderstanding Layer = new ChatTestEngine().Engine.Understanding;
    private static readonly DateOnly Today = new(2023, 11, 15);

    private static ChatSlots Slots(string text, string policyId = "wenxi-2024")
    {
        return Layer.Understand(text, ChatTestEngine.Catalog.Get(policyId), Today).Slots;
    }

    [Theory]
    [InlineData("医保交多少钱？", "医保交多少钱")]
    [InlineData("ＡＢＣ１２３，！", "abc123")]
    [InlineData("醫療保險繳費", "医疗保险缴费")]
    [InlineData("  请 问 ", "请问")]
    public void Clean_makes_half_width_simplified_lower_case_text_without_punctuation(string input, string expected) =>
        Assert.Equal(expected, Layer.Normalizer.Clean(input));

    [Theory]
    [InlineData("新农合续费多少钱", "医保交多少钱")]
    [InlineData("合作医疗缴纳好多钱", "医保交多少钱")]
    [InlineData("居民医保啥子时候交", "医保什么时候交")]
    [InlineData("娃娃咋个上医保", "孩子怎么上医保")]
    [InlineData("用支护宝交行不", "用支付宝交行不")]
    [InlineData("残急证二级", "残疾证二级")]
    public void Canonicalize_rewrites_residents_words_to_the_domain_vocabulary(string input, string expected) =>
        Assert.Equal(expected, Layer.Normalizer.Canonicalize(Layer.Normalizer.Clean(input)));

    [Theory]
    [InlineData("请问那个医保交多少钱呢", "医保交多少钱")]
    [InlineData("我想问一下截止是哪天啊", "截止是哪天")]
    public void Fillers_are_dropped_before_retrieval(string input, string expected) =>
        Assert.Equal(expected, Layer.Normalizer.StripFillers(Layer.Normalizer.Canonicalize(Layer.Normalizer.Clean(input))));

    [Theory]
    [InlineData("380", 380)]
    [InlineData("三百八", 380)]
    [InlineData("三百八十", 380)]
    [InlineData("一千零二十", 1020)]
    [InlineData("两百", 200)]
    [InlineData("十二", 12)]
    [InlineData("七百五十五", 755)]
    [InlineData("一万二", 12000)]
    public void Chinese_numbers_parse_as_residents_write_them(string text, long expected) =>
        Assert.Equal(expected, ChineseNumber.Parse(text));

    [Theory]
    [InlineData("三百八对吗", 38000)]
    [InlineData("交380块对不对", 38000)]
    [InlineData("是不是三百八十元", 38000)]
    [InlineData("76元够吗", 7600)]
    public void Amounts_are_extracted_in_fen(string text, long fen) => Assert.Equal(fen, Slots(text).AmountFen);

    [Theory]
    [InlineData("12月31号交来得及吗", "2023-12-31")]
    [InlineData("月底交可以吗", "2023-11-30")]
    [InlineData("明年一月交能用吗", "2024-01-01")]
    [InlineData("下个月交行不行", "2023-12-01")]
    [InlineData("3月份交什么时候能用", "2024-03-01")]
    [InlineData("2024年7月2日交", "2024-07-02")]
    [InlineData("12月底前交", "2023-12-31")]
    [InlineData("上个月15号交的", "2023-10-15")]
    [InlineData("大前天交的", "2023-11-12")]
    [InlineData("十天前交的", "2023-11-05")]
    [InlineData("半个月前交的", "2023-10-31")]
    [InlineData("两个礼拜以前交的", "2023-11-01")]
    [InlineData("月初交的", "2023-11-01")]
    [InlineData("下个月5号交", "2023-12-05")]
    [InlineData("这个月二十号交", "2023-11-20")]
    public void Dates_are_resolved_against_the_business_date(string text, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Slots(text).Date);

    [Theory]
    [InlineData("家里低收入 72了", 72)]
    [InlineData("是低保户 六十五了", 65)]
    [InlineData("老人六十多了", 60)]
    [InlineData("我娘68", 68)]
    public void An_age_said_without_a_unit_is_read(string text, int years) =>
        Assert.Equal(years, Slots(text).Age);

    // Today is 15 November 2023; 春节 2024 is 10 February, so 正月初九 is 18 February.
    [Theory]
    [InlineData("元旦以后交", "2024-01-02")]
    [InlineData("元旦那天交能用吗", "2024-01-01")]
    [InlineData("正月初九交的话", "2024-02-18")]
    [InlineData("过年初一去交", "2024-02-10")]
    [InlineData("春节交行不行", "2024-02-10")]
    [InlineData("除夕交", "2024-02-09")]
    [InlineData("腊月再交", "2024-01-11")]
    [InlineData("腊月二十八交", "2024-02-07")]
    [InlineData("端午节交", "2024-06-10")]
    [InlineData("国庆交的", "2023-10-01")]
    [InlineData("情人节去交", "2024-02-14")]
    // 元宵 2024 is 24 February (过完十五: the day after); 农历二月 starts 10 March; 清明 is taken as 4 April.
    [InlineData("过完十五再交", "2024-02-25")]
    [InlineData("农历二月交", "2024-03-10")]
    [InlineData("阴历三月初八交的话", "2024-04-16")]
    [InlineData("清明过后交", "2024-04-05")]
    [InlineData("立春那天交", "2024-02-04")]
    [InlineData("三月中旬交", "2024-03-11")]
    [InlineData("十二月下旬交行不行", "2023-12-21")]
    public void Festivals_and_lunar_days_are_resolved_to_their_next_day(string text, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Slots(text).Date);

    [Theory]
    [InlineData("元旦前交完就行吧")]
    [InlineData("娃在读初二 交多少")]
    public void A_day_before_a_festival_or_a_school_year_is_no_payment_day(string text) => Assert.Null(Slots(text).Date);

    [Fact]
    public void The_end_of_this_month_paid_is_this_month_even_when_said_as_done()
    {
        var slots = Layer.Understand("十一月底交的 十二月一号能用不", ChatTestEngine.Catalog.Get("wenxi-2024"), Today).Slots;

        Assert.Equal(new DateOnly(2023, 11, 30), slots.Date);
    }

    [Theory]
    [InlineData("孩子2023年10月5日出生", "2023-10-05")]
    [InlineData("元旦那天生的宝宝", "2023-01-01")]
    [InlineData("宝宝国庆节那天出生的", "2023-10-01")]
    [InlineData("宝宝是10月5号出生的", "2023-10-05")]
    public void Birth_dates_are_told_apart_from_payment_dates(string text, string expected)
    {
        var slots = Slots(text);
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), slots.BirthDate);
        Assert.Null(slots.Date);
    }

    [Theory]
    [InlineData("一档多少钱", 1)]
    [InlineData("我选二档", 2)]
    [InlineData("高档交多少", 2)]
    [InlineData("低档的话", 1)]
    [InlineData("第2档", 2)]
    public void Tiers_are_extracted(string text, int tier) => Assert.Equal(tier, Slots(text, "pengshui-2024").Tier);

    [Theory]
    [InlineData("wenxi-2024", "我是低保户", "dibao")]
    [InlineData("wenxi-2024", "五保户交多少", "tekun")]
    [InlineData("wenxi-2024", "我家是返贫户", "fanpin-zhipin")]
    [InlineData("pengshui-2024", "吃低保的交多少", "dibao")]
    [InlineData("pengshui-2024", "我是烈属", "zhongdian-youfu")]
    [InlineData("suiping-2025", "五保户", "tekun")]
    [InlineData("suiping-2025", "独生子女家庭", "jishenghu")]
    [InlineData("dianjiang-xinmin-2024", "特困人员", "tekun")]
    public void Categories_come_from_everyday_words_per_county(string policyId, string text, string code) =>
        Assert.Contains(code, Slots(text, policyId).Categories);

    [Fact]
    public void Townships_come_from_the_policys_target_tables()
    {
        Assert.Equal("东镇镇", Slots("我是东镇的").Township);
        Assert.Equal("后官乡", Slots("后官乡在哪交").Township);
    }

    [Fact]
    public void Students_newborns_and_last_years_payment_are_extracted()
    {
        Assert.Equal(StudentKind.College, Slots("大学生交多少").Student);
        Assert.Equal(StudentKind.School, Slots("小学生交多少").Student);
        Assert.True(Slots("刚出生的孩子").Newborn);
        Assert.True(Slots("去年交了今年忘了").PaidLastYear);
        Assert.False(Slots("去年没交").PaidLastYear);
    }

    [Theory]
    [InlineData("医保交多少钱", "amount_due")]
    [InlineData("什么时候截止", "deadline")]
    [InlineData("转人工", "contact_person")]
    [InlineData("今天天气怎么样", "out_of_scope")]
    [InlineData("取消提醒", "unsubscribe")]
    public void Clear_questions_are_classified_confidently(string text, string intentName)
    {
        var intent = ChatIntents.Parse(intentName);
        var prediction = Layer.Understand(text, ChatTestEngine.Catalog.Get("wenxi-2024"), Today).Prediction;
        Assert.Equal(intent, prediction.Intent);
        Assert.False(prediction.FellBack);
        Assert.False(prediction.Ambiguous);
    }

    [Fact]
    public void Gibberish_falls_back_instead_of_guessing() =>
        Assert.True(Layer.Understand("嗯嗯嗯", ChatTestEngine.Catalog.Get("wenxi-2024"), Today).Prediction.FellBack);
    [Theory]
    [InlineData("没有残疾没有低保的普通农民交多少", "suiping-2025")]
    [InlineData("俺是低保边缘户 交多少", "suiping-2025")]
    [InlineData("我不是低保 交多少", "wenxi-2024")]
    public void A_group_denied_or_only_next_to_it_is_not_the_residents_group(string text, string policyId) =>
        Assert.Empty(Slots(text, policyId).Categories);

    [Theory]
    [InlineData("我和媳妇还有我爸妈 一共多少钱", "wenxi-2024", 4)]
    [InlineData("我们村返贫户 两个人交多少", "wenxi-2024", 2)]
    [InlineData("娃在重庆读大学 我和老婆 三个人都交二档 好多钱", "dianjiang-xinmin-2024", 3)]
    [InlineData("孤儿跟着爷爷过 爷爷普通 两人先交多少", "suiping-2025", 2)]
    public void A_pair_word_counts_two_and_a_total_said_is_not_one_more_member(string text, string policyId, int people) =>
        Assert.Equal(people, Slots(text, policyId).People);

    [Fact]
    public void A_day_written_without_its_unit_before_the_verb_is_the_day() =>
        Assert.Equal(new DateOnly(2024, 3, 20), Layer.Understand("3月20交的 等待期到啥时候", ChatTestEngine.Catalog.Get("dianjiang-xinmin-2024"), new DateOnly(2024, 3, 21)).Slots.Date);
    [Fact]
    public void The_coming_second_half_year_is_a_period_from_its_first_day() =>
        Assert.Equal(new DateOnly(2024, 7, 1), Layer.Understand("下半年再交 一档好多", ChatTestEngine.Catalog.Get("dianjiang-xinmin-2024"), new DateOnly(2023, 11, 29)).Slots.Date);
    [Theory]
    [InlineData("过了六月了 我们一家三口补交一档一共好多", "2024-07-25", "2024-07-01")]
    [InlineData("过了六月再交要多少钱", "2023-11-17", "2024-07-01")]
    [InlineData("二月份交的话什么时候开始报销", "2023-12-28", "2024-02-01")]
    public void A_month_said_to_be_gone_by_is_this_years_and_one_still_to_come_is_next_years(string text, string today, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Layer.Understand(text, ChatTestEngine.Catalog.Get("dianjiang-xinmin-2024"), DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)).Slots.Date);

    [Theory]
    // 2023-11-15 is a Wednesday.
    [InlineData("这周五能交吗", "2023-11-17")]
    [InlineData("本周一交的", "2023-11-13")]
    [InlineData("下周一去交", "2023-11-20")]
    [InlineData("下个星期三交行不", "2023-11-22")]
    [InlineData("礼拜天能交吗", "2023-11-19")]
    [InlineData("周二能交吗", "2023-11-21")]
    [InlineData("大后天交", "2023-11-18")]
    public void Weekday_is_a_day_of_this_or_a_later_week(string text, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Slots(text).Date);

    [Theory]
    [InlineData("监测户风险没消", false)]
    [InlineData("风险还没消除", false)]
    [InlineData("监测户风险已经消了", true)]
    public void Monitored_risk_said_in_everyday_words(string text, bool cleared) =>
        Assert.Equal(cleared, Slots(text, "suiping-2025").RiskCleared);

    [Fact]
    public void A_place_the_notice_does_not_name_is_another_county() =>
        Assert.True(Slots("西安市的医保多少钱").OtherPlace);

    [Fact]
    public void The_notices_own_places_are_not_another_county()
    {
        Assert.False(Slots("运城市的医保多少钱").OtherPlace);
        Assert.False(Slots("我在闻喜县的医保交多少").OtherPlace);
        Assert.False(Slots("我们县的医保交多少").OtherPlace);
    }
}
