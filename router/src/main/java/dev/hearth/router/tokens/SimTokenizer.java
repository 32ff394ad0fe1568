package dev.hearth.router.tokens;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deterministic tokenizer of simulated models. Real models ship BPE vocabularies that
 * cannot be downloaded here; this scheme keeps what routing depends on: the same text always
 * gives the same ids, a shared text prefix gives a shared id prefix, and English text gives
 * roughly one token per short word (about 4-5 characters a token, like BPE).
 *
 * <ol>
 *   <li>Special tokens ({@code <|im_start|>}, {@code <|im_end|>}, {@code <|endoftext|>},
 *       {@code <think>}, {@code </think>}) are matched literally and keep Qwen3's ids.</li>
 *   <li>The rest is pre-tokenized with GPT-2's split pattern (openai/gpt-2 src/encoder.py),
 *       digits one at a time as Qwen2 does.</li>
 *   <li>A piece in {@link #WORDS} (with or without its leading space) has a fixed id; any other
 *       piece is cut into chunks of at most {@value #CHUNK} characters, each chunk's id being an
 *       FNV-1a hash of its UTF-8 bytes folded into the ordinary id range.</li>
 * </ol>
 * Ids of listed words and special tokens decode back to text; hashed chunks do not.
 */
public final class SimTokenizer {
    /** Qwen3's vocabulary size (config.json "vocab_size"). */
    public static final int VOCAB_SIZE = 151_936;
    public static final int ENDOFTEXT = 151_643;
    public static final int IM_START = 151_644;
    public static final int IM_END = 151_645;
    public static final int THINK = 151_667;
    public static final int END_THINK = 151_668;

    static final int CHUNK = 6;
    private static final int WORD_BASE = 1_000;
    private static final int HASHED_BASE = 10_000;
    private static final int HASHED_RANGE = ENDOFTEXT - HASHED_BASE;

    /** Short common words: one token each, so generated filler re-tokenizes to the same ids. */
    public static final List<String> WORDS = List.of(
            "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be", "by",
            "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "had",
            "they", "you", "were", "their", "one", "all", "we", "can", "her", "has", "there", "been", "if",
            "more", "when", "will", "would", "who", "so", "no", "she", "other", "its", "may", "these", "what",
            "them", "than", "some", "him", "time", "into", "only", "do", "two", "first", "any", "new", "like",
            "then", "our", "used", "could", "made", "such", "where", "over", "work", "most", "after", "many",
            "well", "each", "must", "both", "even", "data", "model", "cache", "token", "block", "node", "load",
            "route", "warm", "fast", "slow", "queue", "batch", "layer", "graph", "state", "event", "value",
            "point", "line", "set", "map", "key", "list", "tree", "path", "step", "rate", "plan", "test",
            "call", "send", "read", "write", "hold", "keep", "move", "turn", "start", "end", "open", "close",
            "light", "water", "stone", "river", "field", "cloud", "wind", "fire", "earth", "green", "blue",
            "red", "white", "black", "small", "large", "long", "short", "high", "low", "near", "far", "early",
            "late", "quiet", "loud", "clear", "sharp", "soft", "hard", "cold", "young", "old", "good");

    private static final Pattern SPECIAL = Pattern.compile("<\\|im_start\\|>|<\\|im_end\\|>|<\\|endoftext\\|>|<think>|</think>");
    private static final Pattern PIECE = Pattern.compile(
            "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    private final Map<String, Integer> wordIds = new HashMap<>();
    private final Map<Integer, String> idText = new HashMap<>();

    public SimTokenizer() {
        int id = WORD_BASE;
        for (String w : WORDS) {
            wordIds.put(w, id);
            idText.put(id, w);
            wordIds.put(" " + w, id + 1);
            idText.put(id + 1, " " + w);
            id += 2;
        }
        idText.put(ENDOFTEXT, "<|endoftext|>");
        idText.put(IM_START, "<|im_start|>");
        idText.put(IM_END, "<|im_end|>");
        idText.put(THINK, "<think>");
        idText.put(END_THINK, "</think>");
    }

    /** The id of a listed word, with a leading space when {@code leadingSpace}. */
    public int wordId(int index, boolean leadingSpace) {
        String w = WORDS.get(Math.floorMod(index, WORDS.size()));
        return wordIds.get(leadingSpace ? " " + w : w);
    }

    public int[] encode(String text) {
        IntList out = new IntList(Math.max(16, text.length() / 4));
        Matcher special = SPECIAL.matcher(text);
        int at = 0;
        while (special.find()) {
            encodeOrdinary(text.substring(at, special.start()), out);
            out.add(specialId(special.group()));
            at = special.end();
        }
        encodeOrdinary(text.substring(at), out);
        return out.toArray();
    }

    /** Decodes ids of listed words and special tokens; hashed chunks become U+FFFD. */
    public String decode(int[] ids) {
        StringBuilder out = new StringBuilder();
        for (int id : ids) {
            out.append(idText.getOrDefault(id, "\uFFFD"));
        }
        return out.toString();
    }

    /** The text of one id, or null when the id is a hashed chunk. */
    public String tokenText(int id) {
        return idText.get(id);
    }

    private void encodeOrdinary(String text, IntList out) {
        if (text.isEmpty()) {
            return;
        }
        Matcher m = PIECE.matcher(text);
        while (m.find()) {
            String piece = m.group();
            Integer known = wordIds.get(piece);
            if (known != null) {
                out.add(known);
                continue;
            }
            for (int i = 0; i < piece.length(); ) {
                int end = Math.min(piece.length(), i + CHUNK);
                if (end < piece.length() && Character.isHighSurrogate(piece.charAt(end - 1))) {
                    end--; // never split a surrogate pair
                }
                out.add(HASHED_BASE + (int) Long.remainderUnsigned(fnv1a(piece.substring(i, end)), HASHED_RANGE));
                i = end;
            }
        }
    }

    private static int specialId(String token) {
        return switch (token) {
            case "<|im_start|>" -> IM_START;
            case "<|im_end|>" -> IM_END;
            case "<|endoftext|>" -> ENDOFTEXT;
            case "<think>" -> THINK;
            default -> END_THINK;
        };
    }

    /** FNV-1a, 64-bit (Fowler, Noll, Vo; IETF draft-eastlake-fnv). */
    private static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** A growable int array, to avoid boxing every token. */
    private static final class IntList {
        private int[] items;
        private int size;

        IntList(int capacity) {
            items = new int[capacity];
        }

        void add(int v) {
            if (size == items.length) {
                items = java.util.Arrays.copyOf(items, size * 2);
            }
            items[size++] = v;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(items, size);
        }
    }
}
