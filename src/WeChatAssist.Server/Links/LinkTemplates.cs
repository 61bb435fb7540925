using HandlebarsDotNet;

namespace WeChatAssist.Server.Links;

/// <summary>The landing page, poster and group text of <c>templates/links/</c>, compiled once. The page and the poster
/// are HTML/SVG-escaped; the group text is plain.</summary>
internal sealed class LinkTemplates
{
    /// <summary>Folder of the files, relative to the binaries.</summary>
    public const string Folder = "templates/links";

    private readonly HandlebarsTemplate<object, object> _landing;
    private readonly HandlebarsTemplate<object, object> _missing;
    private readonly HandlebarsTemplate<object, object> _poster;
    private readonly HandlebarsTemplate<object, object> _share;

    private LinkTemplates(string folder)
    {
        var markup = Handlebars.Create(new HandlebarsConfiguration { ThrowOnUnresolvedBindingExpression = false });
        var plain = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true, ThrowOnUnresolvedBindingExpression = false });
        _landing = markup.Compile(File.ReadAllText(Path.Combine(folder, "landing.zh-Hans.html.hbs")));
        _missing = markup.Compile(File.ReadAllText(Path.Combine(folder, "missing.zh-Hans.html.hbs")));
        _poster = markup.Compile(File.ReadAllText(Path.Combine(folder, "poster.zh-Hans.svg.hbs")));
        _share = plain.Compile(File.ReadAllText(Path.Combine(folder, "share.zh-Hans.txt.hbs")));
    }

    public static LinkTemplates Load(string folder) => new(folder);

    /// <summary>The landing page <c>/s/{code}</c>.</summary>
    public string Landing(LinkPageModel model) => _landing(model);

    /// <summary>The page for a code that does not exist.</summary>
    public string Missing() => _missing(new { });

    /// <summary>The printable poster; <paramref name="model"/> carries the two QR groups as raw SVG.</summary>
    public string Poster(LinkPageModel model) => _poster(model);

    /// <summary>The short text to paste into a WeChat group.</summary>
    public string Share(LinkPageModel model) => _share(model).Trim();
}
