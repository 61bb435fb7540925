using WeChatAssist.Server.Templating;

namespace WeChatAssist.Server.Tests.Templating;

/// <summary>The Scriban templates as their writers expect them: what counts as false, escaping in markup, sections
/// included without being parsed again, and the staff context's limits.</summary>
public sealed class TextTemplateTests
{
    [Theory]
    [InlineData(null, "no")]
    [InlineData("", "no")]
    [InlineData(0, "no")]
    [InlineData(false, "no")]
    [InlineData("x", "yes")]
    [InlineData(3, "yes")]
    [InlineData(true, "yes")]
    public void An_empty_text_zero_false_and_null_are_false_in_if(object? value, string expected)
    {
        var template = TextTemplate.Parse("{{if value}}yes{{else}}no{{end}}", "test");

        Assert.Equal(expected, template.Render(new Dictionary<string, object?> { ["value"] = value }));
    }

    [Fact]
    public void An_empty_list_is_false_and_a_list_with_items_is_looped_with_first_and_last()
    {
        var template = TextTemplate.Parse("{{if items}}{{for item in items}}{{if !for.first}}/{{end}}{{item.n}}{{end}}{{else}}none{{end}}", "test");

        Assert.Equal("none", template.Render(new Dictionary<string, object?> { ["items"] = new List<Dictionary<string, object?>>() }));
        Assert.Equal("1/2", template.Render(new Dictionary<string, object?>
        {
            ["items"] = new List<Dictionary<string, object?>> { new() { ["n"] = 1 }, new() { ["n"] = 2 } },
        }));
    }

    [Fact]
    public void A_markup_template_escapes_every_value_except_markup_the_server_built()
    {
        var template = TextTemplate.Parse("<p>{{text}}</p>{{svg}}", "test", TemplateOutput.Markup);

        var html = template.Render(new { Text = "<script>alert('x')</script> & \"", Svg = new RawMarkup("<g/>") });

        Assert.Equal("<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;</p><g/>", html);
    }

    [Fact]
    public void A_dotnet_objects_members_are_snake_case_and_dictionary_keys_stay_as_written()
    {
        var template = TextTemplate.Parse("{{benefit_year}} {{BenefitYear}}|{{windowTo}}", "test");

        Assert.Equal("2024 |", template.Render(new { BenefitYear = 2024 }));
        Assert.Equal(" |12月31日", template.Render(new Dictionary<string, object?> { ["windowTo"] = "12月31日" }));
    }

    [Fact]
    public void A_section_is_included_from_the_parsed_partials_with_the_same_values()
    {
        var menu = TextTemplate.Parse("{{county}}菜单", "menu");
        var welcome = TextTemplate.Parse("您好\n{{include 'menu'}}", "welcome");
        var partials = new Dictionary<string, TextTemplate> { ["menu"] = menu };

        Assert.Equal("您好\n彭水菜单", welcome.Render(new Dictionary<string, object?> { ["county"] = "彭水" }, partials));
        Assert.Throws<TemplateException>(() => welcome.Render(new Dictionary<string, object?>(), new Dictionary<string, TextTemplate>()));
    }

    [Fact]
    public void A_syntax_error_names_its_line_and_column()
    {
        var error = Assert.Throws<TemplateException>(() => TextTemplate.Parse("第一行\n第二行{{if}}", "test"));

        Assert.Equal(2, error.Line);
        Assert.InRange(error.Column, 4, 8);
        Assert.StartsWith("test(2,", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_staff_template_may_not_include_import_or_evaluate_text_but_a_trusted_one_may_include()
    {
        Assert.Throws<TemplateException>(() => TextTemplate.Parse("{{include 'x'}}", "t", safety: TemplateSafety.Staff));
        Assert.Throws<TemplateException>(() => TextTemplate.Parse("{{include_join ['x'] ','}}", "t", safety: TemplateSafety.Staff));
        Assert.Throws<TemplateException>(() => TextTemplate.Parse("{{import object}}", "t", safety: TemplateSafety.Staff));
        Assert.Throws<TemplateException>(() => TextTemplate.Parse("{{'1' | object.eval}}", "t", safety: TemplateSafety.Staff));
        TextTemplate.Parse("{{include 'x'}}", "t");
    }

    [Fact]
    public void A_staff_template_stops_at_the_loop_limit_and_cuts_its_output_at_the_text_limit()
    {
        var loops = TextTemplate.Parse("{{for i in 1..100000}}x{{end}}", "t", safety: TemplateSafety.Staff);
        var verbose = TextTemplate.Parse("{{for i in 1..150}}" + new string('缴', 100) + "{{end}}", "t", safety: TemplateSafety.Staff);
        var recursive = TextTemplate.Parse("{{func f(n)\n ret f(n + 1)\nend}}{{f 1}}", "t", safety: TemplateSafety.Staff);

        var loopError = Assert.Throws<TemplateException>(() => loops.Render(null));
        var text = verbose.Render(null);
        Assert.Throws<TemplateException>(() => recursive.Render(null));

        Assert.Equal(1, loopError.Line);
        Assert.InRange(text.Length, TemplateSafety.Staff.LimitToString, TemplateSafety.Staff.LimitToString + 3);
        Assert.Equal(15_000, TextTemplate.Parse("{{for i in 1..150}}" + new string('缴', 100) + "{{end}}", "t").Render(null).Length);
    }

    [Fact]
    public void Rendering_from_many_threads_at_once_gives_each_its_own_values()
    {
        var template = TextTemplate.Parse("{{for i in 1..n}}{{i}}{{end}}", "t");

        var results = Enumerable.Range(1, 200).AsParallel().WithDegreeOfParallelism(8)
            .Select(n => (n, template.Render(new Dictionary<string, object?> { ["n"] = n % 20 + 1 })))
            .ToList();

        Assert.All(results, r => Assert.Equal(string.Concat(Enumerable.Range(1, r.n % 20 + 1)), r.Item2));
    }
}
