namespace WeChatAssist.Server.Hosting;

/// <summary>Listens on <c>http://localhost:5080</c> unless told otherwise.</summary>
internal static class DefaultUrl
{
    public const string Url = "http://localhost:5080";

    /// <summary>Applies <see cref="Url"/> when neither <c>--urls</c>, <c>ASPNETCORE_URLS</c>/<c>URLS</c> nor the
    /// <c>HTTP_PORTS</c> family names an address. Set in code rather than as <c>Urls</c> in appsettings.json, which
    /// would override <c>ASPNETCORE_URLS</c> (application settings outrank host settings).</summary>
    public static WebApplicationBuilder UseDefaultUrlUnlessConfigured(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (string.IsNullOrWhiteSpace(configuration["urls"])
            && string.IsNullOrWhiteSpace(configuration["http_ports"])
            && string.IsNullOrWhiteSpace(configuration["https_ports"])
            && !configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(Url);
        }

        return builder;
    }
}
