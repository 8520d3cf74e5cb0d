# chart-09-labels.gp - written by jtlscope VERSION
# Re-render chart-09-labels.png and chart-09-labels.svg from this folder with:
#     gnuplot chart-09-labels.gp
# The data (and every label from the JTL) is in chart-09-labels.dat,
# tab-separated, one block per index, titles in the first line.
reset
set encoding utf8
set datafile separator "\t"
set datafile columnheaders
set terminal pngcairo size 1000,320 noenhanced font 'Sans,11' background '#ffffff'
set output 'chart-09-labels.png'
set title 'Throughput per label' font 'Sans,13'
set xlabel 'requests per second (over the time span of each label)'
set grid xtics ytics lc rgb '#dddddd' lw 1 dt 1
set border 3 lc rgb '#444444'
set tics nomirror out scale 0.6
set style fill solid 0.75 noborder
set boxwidth 0.8 relative
set key at screen 0.5, screen 0.012 center bottom horizontal Left reverse samplen 2 width 2 maxcols 3
set bmargin 6
set xrange [0:]
plot 'chart-09-labels.dat' index 0 using (0):0:(0):($2+$3+$4):($0-0.38):($0+0.38):yticlabels(1) title columnheader(4) with boxxyerror fs solid 1.0 noborder lc rgb '#CC79A7', \
     '' index 0 using (0):0:(0):($2+$3):($0-0.38):($0+0.38):yticlabels(1) title columnheader(3) with boxxyerror fs solid 1.0 noborder lc rgb '#D55E00', \
     '' index 0 using (0):0:(0):2:($0-0.38):($0+0.38):yticlabels(1) title columnheader(2) with boxxyerror fs solid 1.0 noborder lc rgb '#009E73'
set terminal svg size 1000,320 noenhanced font 'Sans,11' background '#ffffff'
set output 'chart-09-labels.svg'
replot
unset output
