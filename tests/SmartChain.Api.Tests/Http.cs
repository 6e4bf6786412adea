using System.Net.Http.Headers;
using System.Text.Json;

namespace SmartChain.Api.Tests;

internal static class Http
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient http, string path) => await (await http.GetAsync(path)).JsonAsync();

    public static Task<HttpResponseMessage> PostBytesAsync(this HttpClient http, string path, ReadOnlyMemory<byte> bytes)
    {
        var content = new ByteArrayContent(bytes.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return http.PostAsync(path, content);
    }

    /// <summary>Asserts a problem+json answer with a 4xx status and a detail; returns the detail.</summary>
    public static async Task<string> AssertProblemAsync(HttpResponseMessage response, int? status = null)
    {
        string text = await response.Content.ReadAsStringAsync();
        int code = (int)response.StatusCode;
        Assert.True(code is >= 400 and < 500, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {code} {text}");
        if (status is not null)
        {
            Assert.True(status == code, $"expected {status}, got {code}: {text}");
        }

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(code, problem.RootElement.GetProperty("status").GetInt32());
        return problem.RootElement.TryGetProperty("detail", out JsonElement detail) ? detail.GetString() ?? "" : "";
    }
}
