using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Coin.Tests;

/// <summary>Results are written by hand (no writer object per transaction): the bytes must stay the canonical ones.</summary>
public class CoinResultEncodingTests
{
    [Fact]
    public void Hand_written_results_are_the_canonical_writers_bytes_and_decode_back()
    {
        var random = new Random(16);
        foreach (CoinResultCode code in Enum.GetValues<CoinResultCode>())
        {
            for (int count = 0; count <= CoinLimits.MaxOutputs; count += random.Next(1, 9))
            {
                Hash256[] ids = [.. Enumerable.Range(0, code == CoinResultCode.Ok ? count : 0).Select(_ => Hash256.Compute(BitConverter.GetBytes(random.Next())))];
                byte[] canonical = CanonicalEncoding.ToArray((code, ids), static (ref CanonicalWriter w, (CoinResultCode Code, Hash256[] Ids) r) =>
                {
                    w.WriteUInt8((byte)r.Code);
                    if (r.Code == CoinResultCode.Ok)
                    {
                        w.WriteCount(r.Ids.Length, CoinLimits.MaxOutputs);
                        foreach (Hash256 id in r.Ids)
                        {
                            id.WriteTo(ref w);
                        }
                    }
                });

                CoinResult result = code == CoinResultCode.Ok ? CoinResult.Ok(ids) : CoinResult.Rejected(code);
                Assert.Equal(canonical, CoinResult.Encode(code, ids));
                Assert.Equal(canonical, result.Encode());
                CoinResult decoded = CoinResult.Decode(canonical);
                Assert.Equal(code, decoded.Code);
                Assert.Equal(ids, decoded.CreatedCoins);
            }
        }

        Assert.Throws<EncodingException>(() => CoinResult.Encode(CoinResultCode.Ok, new Hash256[CoinLimits.MaxOutputs + 1]));
    }
}
