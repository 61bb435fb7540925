namespace WeChatAssist.Server.Hosting;

/// <summary>The OpenAPI document of every endpoint at <c>/openapi/v1.json</c> (Microsoft.AspNetCore.OpenApi).</summary>
internal static class ApiDocumentExtensions
{
    public const string DocumentPath = "/openapi/{documentName}.json";

    public static IHostApplicationBuilder AddApiDocument(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi();
        return builder;
    }

    public static IEndpointRouteBuilder MapApiDocument(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(DocumentPath);
        return endpoints;
    }
}
