using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Network;

/// <summary>
/// A mutually authenticated, encrypted TCP link (docs/network.md). After the handshake every frame is
/// <c>u32 length · ChaCha20-Poly1305(u8 version · u8 type · i32 sender · payload)</c> with a counter nonce per
/// direction. A frame that fails authentication, names another sender, or announces more than the limit ends
/// the link with a <see cref="LinkException"/>. Sends may come from several threads; receives from one.
/// </summary>
public sealed class SecureLink : IFrameLink
{
    private const byte FrameVersion = 1;
    private const int FrameHeaderSize = 1 + 1 + 4;
    private const int MaxHandshakeUnit = 1024;

    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly FrameCipher _send;
    private readonly FrameCipher _receive;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly LinkOptions _options;
    private readonly int _myId;
    private readonly ReceiveDeadline _deadline;
    private long _framesReceived;

    private SecureLink(NetworkStream stream, PipeReader reader, PipeWriter writer, (NSec.Cryptography.Key Send, NSec.Cryptography.Key Receive) keys,
        PeerIdentity peer, int myId, LinkOptions options)
    {
        _stream = stream;
        _reader = reader;
        _writer = writer;
        _send = new FrameCipher(keys.Send);
        _receive = new FrameCipher(keys.Receive);
        Peer = peer;
        _myId = myId;
        _options = options;
        _deadline = new ReceiveDeadline(reader);
        RemoteEndPoint = stream.Socket.RemoteEndPoint;
    }

    /// <summary>The authenticated peer.</summary>
    public PeerIdentity Peer { get; }

    /// <summary>The peer's address.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/> and authenticates it as <paramref name="expected"/>.</summary>
    /// <exception cref="LinkException">The peer is not who it should be, or the handshake failed.</exception>
    public static Task<SecureLink> ConnectAsync(string host, int port, string chainId, LinkCredentials me, PeerIdentity expected,
        LinkOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return ConnectAsync(host, port, chainId, me,
            (id, key) => id == expected.ReplicaId && key == expected.PublicKey ? null : $"expected {expected} with key {expected.PublicKey}, found id {id} with key {key}",
            options, cancellationToken);
    }

    /// <summary>
    /// Connects to whichever replica listens at <paramref name="host"/>:<paramref name="port"/>, whoever it is: for asking
    /// a replica of a view one does not know yet for the proofs of that view, which verify on their own.
    /// </summary>
    public static Task<SecureLink> ConnectToAnyReplicaAsync(string host, int port, string chainId, LinkCredentials me, LinkOptions options,
        CancellationToken cancellationToken) =>
        ConnectAsync(host, port, chainId, me, (id, _) => id >= 0 ? null : $"id {id} is not a replica", options, cancellationToken);

    private static async Task<SecureLink> ConnectAsync(string host, int port, string chainId, LinkCredentials me, Func<int, Ed25519PublicKey, string?> authorize,
        LinkOptions options, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return await HandshakeAsync(socket, initiator: true, chainId, me, authorize, options, cancellationToken);
    }

    /// <summary>Runs the responder's handshake on an accepted socket; <paramref name="authorize"/> returns null to admit (id, key), else why not.</summary>
    /// <exception cref="LinkException">The peer was refused or the handshake failed.</exception>
    public static Task<SecureLink> AcceptAsync(Socket socket, string chainId, LinkCredentials me, Func<int, Ed25519PublicKey, string?> authorize,
        LinkOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        socket.NoDelay = true;
        return HandshakeAsync(socket, initiator: false, chainId, me, authorize, options, cancellationToken);
    }

    /// <summary>Sends one frame.</summary>
    /// <exception cref="ArgumentException">The payload is larger than the frame limit.</exception>
    public ValueTask SendAsync(FrameType type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        SendAsync(type, payload, flush: true, cancellationToken);

    /// <summary>
    /// Sends one frame; with <paramref name="flush"/> false it stays buffered until a later flush, so a sender
    /// draining a queue pays one system call for many frames.
    /// </summary>
    /// <exception cref="ArgumentException">The payload is larger than the frame limit.</exception>
    public async ValueTask SendAsync(FrameType type, ReadOnlyMemory<byte> payload, bool flush, CancellationToken cancellationToken)
    {
        if (payload.Length > _options.MaxFrameBytes)
        {
            throw new ArgumentException($"payload of {payload.Length} bytes exceeds the frame limit of {_options.MaxFrameBytes}", nameof(payload));
        }

        int plainLength = FrameHeaderSize + payload.Length;
        byte[] plain = ArrayPool<byte>.Shared.Rent(plainLength);
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            plain[0] = FrameVersion;
            plain[1] = (byte)type;
            BinaryPrimitives.WriteInt32LittleEndian(plain.AsSpan(2), _myId);
            payload.Span.CopyTo(plain.AsSpan(FrameHeaderSize));
            int sealedLength = FrameCipher.SealedSize(plainLength);
            Span<byte> output = _writer.GetSpan(4 + sealedLength);
            BinaryPrimitives.WriteUInt32LittleEndian(output, (uint)sealedLength);
            _send.Seal(plain.AsSpan(0, plainLength), output[4..]);
            _writer.Advance(4 + sealedLength);
            if (flush)
            {
                await _writer.FlushAsync(cancellationToken);
            }
        }
        finally
        {
            _sendLock.Release();
            ArrayPool<byte>.Shared.Return(plain);
        }
    }

    /// <summary>Sends every frame buffered by <see cref="SendAsync(FrameType, ReadOnlyMemory{byte}, bool, CancellationToken)"/>.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _writer.FlushAsync(cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>The next frame, or null when the peer closed the link cleanly.</summary>
    /// <exception cref="LinkException">The frame is oversized, fails authentication, or is malformed.</exception>
    /// <remarks>Awaited once per frame by each receive loop, so its state machine is pooled rather than boxed per frame.</remarks>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Frame?> ReceiveAsync(CancellationToken cancellationToken)
    {
        int limit = FrameCipher.SealedSize(FrameHeaderSize + _options.MaxReceivedFrameBytes);
        (byte[]? sealedFrame, int sealedLength) = await LengthPrefixed.ReadPooledAsync(_reader, limit, "frame", _deadline, _options.IdleTimeout,
            _options.FrameTimeout, cancellationToken);
        if (sealedFrame is null)
        {
            return null;
        }

        // The sealed bytes live in a rented array only until they are opened: the frame handed out owns its own
        // plaintext array, never the rented one, which goes back to the pool once, here, whatever happens.
        try
        {
            return Open(sealedFrame.AsSpan(0, sealedLength));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sealedFrame);
        }
    }

    private Frame Open(ReadOnlySpan<byte> sealedFrame)
    {
        long number = ++_framesReceived;
        if (sealedFrame.Length < FrameCipher.SealedSize(FrameHeaderSize))
        {
            throw new LinkException($"frame {number} from {Peer} is too short ({sealedFrame.Length} bytes)");
        }

        byte[] plain = new byte[sealedFrame.Length - FrameCipher.TagSize];
        if (!_receive.TryOpen(sealedFrame, plain))
        {
            throw new LinkException($"frame {number} from {Peer} failed authentication (tampered, replayed or injected)");
        }

        int sender = BinaryPrimitives.ReadInt32LittleEndian(plain.AsSpan(2));
        if (plain[0] != FrameVersion || !Enum.IsDefined((FrameType)plain[1]) || sender != Peer.ReplicaId)
        {
            throw new LinkException($"frame {number} from {Peer} has version {plain[0]}, type {plain[1]}, sender {sender}");
        }

        return new Frame((FrameType)plain[1], sender, plain.AsMemory(FrameHeaderSize));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Completing the writer flushes what is buffered; on a dead connection that fails, which must not stop disposal.
        try
        {
            await _reader.CompleteAsync();
            await _writer.CompleteAsync();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
        }

        await _stream.DisposeAsync();
        _send.Dispose();
        _receive.Dispose();
        _sendLock.Dispose();
        _deadline.Dispose();
    }

    /// <summary>
    /// Test-only: writes <paramref name="bytes"/> to the socket as they are, unframed and unencrypted, so a hostile
    /// client can announce a frame and then trickle or withhold its bytes.
    /// </summary>
    internal async ValueTask SendRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _writer.WriteAsync(bytes, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private static async Task<SecureLink> HandshakeAsync(Socket socket, bool initiator, string chainId, LinkCredentials me,
        Func<int, Ed25519PublicKey, string?> authorize, LinkOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(options);
        var stream = new NetworkStream(socket, ownsSocket: true);
        PipeReader reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        PipeWriter writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.HandshakeTimeout);
        CancellationToken ct = timeout.Token;
        using var handshake = new Handshake(chainId, me);
        try
        {
            if (initiator)
            {
                await LengthPrefixed.WriteAsync(writer, handshake.MyHelloBytes, ct);
            }

            byte[] peerHelloBytes = await ReadHandshakeUnit(reader, "hello", ct);
            Hello peer = DecodeHello(peerHelloBytes);
            if (peer.ChainId != chainId)
            {
                throw new LinkException($"peer is on chain \"{peer.ChainId}\", this node on \"{chainId}\"");
            }

            if (authorize(peer.SenderId, peer.Identity) is { } refusal)
            {
                throw new LinkException($"peer refused: {refusal}");
            }

            if (!initiator)
            {
                await LengthPrefixed.WriteAsync(writer, handshake.MyHelloBytes, ct);
            }

            byte[] transcript = initiator
                ? Handshake.Transcript(handshake.MyHelloBytes, peerHelloBytes)
                : Handshake.Transcript(peerHelloBytes, handshake.MyHelloBytes);
            if (initiator)
            {
                await LengthPrefixed.WriteAsync(writer, Handshake.Sign(me.Key, initiator: true, transcript), ct);
            }

            byte[] peerSignature = await ReadHandshakeUnit(reader, "signature", ct);
            if (!Handshake.Verify(peer.Identity, initiator: !initiator, transcript, peerSignature))
            {
                throw new LinkException($"handshake signature of {peer.SenderId} does not verify: the peer does not hold the key it claims");
            }

            if (!initiator)
            {
                await LengthPrefixed.WriteAsync(writer, Handshake.Sign(me.Key, initiator: false, transcript), ct);
            }

            var keys = handshake.DeriveKeys(peer.Ephemeral, transcript, initiator)
                ?? throw new LinkException("peer sent an unusable ephemeral key");
            return new SecureLink(stream, reader, writer, keys, new PeerIdentity(peer.SenderId, peer.Identity), me.ReplicaId, options);
        }
        catch (Exception e)
        {
            await reader.CompleteAsync();
            await writer.CompleteAsync();
            await stream.DisposeAsync();
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new LinkException($"handshake did not complete within {options.HandshakeTimeout.TotalSeconds:0.#} s");
            }

            if (e is IOException or SocketException)
            {
                throw new LinkException($"connection failed during the handshake: {e.Message}", e);
            }

            throw;
        }
    }

    private static async Task<byte[]> ReadHandshakeUnit(PipeReader reader, string what, CancellationToken ct) =>
        await LengthPrefixed.ReadAsync(reader, MaxHandshakeUnit, $"handshake {what}", ct)
        ?? throw new LinkException($"connection closed before the handshake {what}");

    private static Hello DecodeHello(byte[] bytes)
    {
        try
        {
            return Hello.Decode(bytes);
        }
        catch (EncodingException e)
        {
            throw new LinkException($"bad handshake hello: {e.Message}", e);
        }
    }
}
