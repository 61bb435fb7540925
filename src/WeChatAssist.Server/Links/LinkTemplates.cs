using WeChatAssist.Server.Templating;

namespace WeChatAssist.Server.Links;

/// <summary>The landing page, poster and group text of <c>templates/links/</c> (Scriban), parsed once. The page and
/// the poster are HTML/SVG-escaped (only the poster's QR groups, <see cref="RawMarkup"/>, are not); the group text is
/// plain. The model's members are snake_case in the templates (<c>BenefitYear</c> → <c>benefit_year</c>).</summary>
internal sealed class LinkTemplates
{
    /// <summary>Folder of the files, relative to the binaries.</summary>
    public const string Folder = "templates/links";

    private readonly TextTemplate _landing;
    private readonly TextTemplate _missing;
    private readonly TextTemplate _poster;
    private readonly TextTemplate _share;

    private LinkTemplates(string folder)
    {
        _landing = Parse(folder, "landing.zh-Hans.html.scriban", TemplateOutput.Markup);
        _missing = Parse(folder, "missing.zh-Hans.html.scriban", TemplateOutput.Markup);
        _poster = Parse(folder, "poster.zh-Hans.svg.scriban", TemplateOutput.Markup);
        _share = Parse(folder, "share.zh-Hans.txt.scriban", TemplateOutput.Text);
    }

    public static LinkTemplates Load(string folder) => new(folder);

    /// <summary>The landing page <c>/s/{code}</c>.</summary>
    public string Landing(LinkPageModel model) => _landing.Render(model);

    /// <summary>The page for a code that does not exist.</summary>
    public string Missing() => _missing.Render(null);

    /// <summary>The printable poster; <paramref name="model"/> carries the two QR groups as raw SVG.</summary>
    public string Poster(LinkPageModel model) => _poster.Render(model);

    /// <summary>The short text to paste into a WeChat group.</summary>
    public string Share(LinkPageModel model) => _share.Render(model).Trim();

    private static TextTemplate Parse(string folder, string file, TemplateOutput output)
    {
        var path = Path.Combine(folder, file);
        return TextTemplate.Parse(File.ReadAllText(path), path, output);
    }
}
