using System.Globalization;
using System.Text;
using QRCoder;

namespace WeChatAssist.Server.Links;

/// <summary>QR codes of a text as PNG bytes or as SVG markup (one path, crisp at any print size).</summary>
internal static class LinkArtwork
{
    /// <summary>A PNG of the QR code, <paramref name="pixelsPerModule"/> pixels per module, with the quiet zone.</summary>
    public static byte[] Png(string text, int pixelsPerModule = 10)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        using var png = new PngByteQRCode(data);
        return png.GetGraphic(pixelsPerModule);
    }

    /// <summary>A standalone SVG document of the QR code.</summary>
    public static string Svg(string text)
    {
        var (size, path) = Path(text);
        return string.Create(CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{path}"/></svg>""");
    }

    /// <summary>The QR code as an SVG group scaled to a square of <paramref name="side"/> units at (<paramref name="x"/>, <paramref name="y"/>), for posters.</summary>
    public static string Group(string text, double x, double y, double side)
    {
        var (size, path) = Path(text);
        var scale = side / size;
        return string.Create(CultureInfo.InvariantCulture,
            $"""<g transform="translate({x} {y}) scale({scale:0.####})" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{path}"/></g>""");
    }

    private static (int Size, string Path) Path(string text)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix;
        var builder = new StringBuilder();
        for (var row = 0; row < matrix.Count; row++)
        {
            var line = matrix[row];
            for (var column = 0; column < line.Length; column++)
            {
                if (!line[column])
                {
                    continue;
                }

                // One horizontal run per rectangle keeps the path short.
                var start = column;
                while (column + 1 < line.Length && line[column + 1])
                {
                    column++;
                }

                builder.Append(CultureInfo.InvariantCulture, $"M{start} {row}h{column - start + 1}v1h-{column - start + 1}z");
            }
        }

        return (matrix.Count, builder.ToString());
    }
}
